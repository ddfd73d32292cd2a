"""Benchmark Suivi through a real server: ``make bench`` or

    .venv/bin/python scripts/bench.py [--database URL] [--items 100000] [--requests 50]

Builds (or reuses) a generated database of ``--items`` items (``flask bench generate``),
times the SQL each measured request needs executed directly, starts gunicorn with two
workers on 127.0.0.1, measures each request's warm median and p95, runs a 90 % read / 10 %
write mix with wrk, reads the workers' memory, and prints a table; the JSON goes to
``--json``. See docs/performance.md.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app.bench.report import header, table, write_json
from app.bench.runner import profile, run, sql_report


def options(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument(
        "--database",
        default=None,
        help="database URL (default: a SQLite file instance/bench-sqlite-ITEMS.db)",
    )
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument(
        "--heavy-requests", type=int, default=50, help="timed requests per export (CSV, XLSX, PDF)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=0,
        help="seconds per request kind after which timing stops (at least 5 runs; 0: none)",
    )
    parser.add_argument("--mix-seconds", type=int, default=30, help="0 skips the wrk mix")
    parser.add_argument("--port", type=int, default=5077)
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/11",
        help="Redis for a job worker beside the server (large reports); '' builds them inline",
    )
    parser.add_argument("--only", nargs="*", help="measure only these requests (keys)")
    parser.add_argument("--json", default=None, help="where to write the results as JSON")
    parser.add_argument("--profile", default=None, help="profile this request (key) in process")
    parser.add_argument("--profile-repeat", type=int, default=10)
    parser.add_argument("--sql", default=None, help="time each statement of this request (key)")
    args = parser.parse_args(argv)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    instance = os.path.join(root, "instance")
    os.makedirs(instance, exist_ok=True)
    if args.database is None:
        args.database = f"sqlite:///{instance}/bench-sqlite-{args.items}.db"
    if args.json is None:
        kind = args.database.split(":", 1)[0].split("+", 1)[0]
        args.json = os.path.join(instance, f"bench-{kind}-{args.items}.json")
    return args


def main() -> None:
    args = options()
    if args.profile:
        print(profile(args))
        return
    if args.sql:
        print(sql_report(args))
        return
    results = run(args, say=lambda text: print(text, file=sys.stderr, flush=True))
    write_json(results, args.json)
    print(header(results))
    print()
    print(table(results))
    print(f"\nJSON: {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
