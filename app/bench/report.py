"""The benchmark's results as a table (Markdown, for the terminal and docs/performance.md)
and as JSON."""

import json

COLUMNS = ("Request", "n", "median ms", "p95 ms", "target p95", "met", "SQL median ms", "SQL n")


def _met(p95: float, target: float | None) -> str:
    if target is None:
        return "–"
    return "yes" if p95 <= target else "**no**"


def _row(key: str, result: dict, floor: dict) -> list[str]:
    target = result["target_p95_ms"]
    label = result["label"]
    if result.get("prepared_by_job"):
        label += " (by a job: request to file downloaded)"
    return [
        label,
        str(result["n"]),
        f"{result['median_ms']:,.1f}",
        f"{result['p95_ms']:,.1f}",
        f"{target:,.0f}" if target else "–",
        _met(result["p95_ms"], target) if not result["errors"] else f"{result['errors']} errors",
        f"{floor['median_ms']:,.1f}",
        str(floor["statements"]),
    ]


def table(results: dict) -> str:
    """The Markdown table of every request, then the mix and the workers' memory."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for key, result in results.get("requests", {}).items():
        lines.append("| " + " | ".join(_row(key, result, results["floors"][key])) + " |")
    mix = results.get("mix")
    if mix:
        lines.append(
            f"| Mix 90 % read / 10 % write, {mix['seconds']} s, {mix['connections']} connections"
            f" | {mix['requests']} | {mix['median_ms']:,.1f} | {mix['p95_ms']:,.1f} | – | "
            f"{mix['throughput_rps']:,.1f} req/s, {mix['errors']} errors | – | – |"
        )
    workers = results.get("workers") or []
    if workers:
        peak = max(w["peak_mb"] for w in workers)
        rss = ", ".join(f"{w['rss_mb']:.0f}" for w in workers)
        lines.append(
            f"| Worker resident memory (now: {rss} MB) | {len(workers)} | – | {peak:.0f} (peak) "
            f"| 150 | {_met(peak, 150)} | – | – |"
        )
    jobs = results.get("job_worker_memory")
    if jobs:
        lines.append(
            f"| Job worker resident memory (now: {jobs['rss_mb']:.0f} MB) | 1 | – | "
            f"{jobs['peak_mb']:.0f} (peak) | – | – | – | – |"
        )
    return "\n".join(lines)


def header(results: dict) -> str:
    """Machine, date, database, size and load, one line each."""
    m, d = results["machine"], results["database"]
    lines = [
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, Python {m['python']}",
        f"- Date: {m['date']}",
        f"- Database: {d['dialect']} {d['server_version']}".rstrip(),
        f"- Size: {d['items']:,} items, {d['audit_events']:,} audit events",
        f"- Load average (uptime) before / after: {results['load_before']} / "
        f"{results['load_after']}",
        f"- A durable commit alone: {results['floors']['_commit_ms']} ms",
        "- Large reports: "
        + ("built by a job worker beside the server" if results.get("job_worker") else "inline"),
    ]
    if results.get("workers_at_start"):
        start = ", ".join(f"{w['rss_mb']:.0f} MB" for w in results["workers_at_start"])
        lines.append(f"- Workers' resident memory after the login: {start}")
    return "\n".join(lines)


def write_json(results: dict, path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2, default=str)
