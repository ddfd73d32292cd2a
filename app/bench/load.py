"""The mixed load: 90 % reads and 10 % status updates for 30 s with wrk on 127.0.0.1, each
write on an item of its own (so that no write meets a stale version) and zero errors
expected."""

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

WRK_HINT = "wrk is not installed: apt-get install wrk (Debian's package)"
LINE = re.compile(r"^BENCH (.*)$", re.MULTILINE)

LUA = r"""
local cookie = %(cookie)s
local token = %(token)s
local writes = %(writes)s
local first_id, last_id, nthreads = %(first)d, %(last)d, %(threads)d
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end
function init(args)
  math.randomseed(tid * 7919)
  widx = tid
end
local function page(path)
  return wrk.format("GET", path, {["Cookie"] = cookie})
end
local function api(method, path, body)
  local headers = {["Authorization"] = "Bearer " .. token}
  if body then headers["Content-Type"] = "application/json" end
  return wrk.format(method, path, headers, body)
end
function request()
  local r = math.random(100)
  if r <= 10 and writes[widx] then
    local w = writes[widx]
    widx = widx + nthreads
    local body = string.format(
      '{"status":"in_progress","progress":%%d,"note":"Load test.","version":%%d}', w[3] + 1, w[2])
    return api("POST", "/api/v1/items/" .. w[1] .. "/updates", body)
  elseif r <= 40 then
    return page("/items?per_page=25&page=" .. math.random(40))
  elseif r <= 70 then
    return page("/items/" .. math.random(first_id, last_id))
  elseif r <= 90 then
    return api("GET", "/api/v1/items?per_page=25&page=" .. math.random(40))
  end
  return api("GET", "/api/v1/summary")
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH {\"requests\": %%d, \"duration_us\": %%d, \"p50_us\": %%d, \"p95_us\": %%d, " ..
    "\"p99_us\": %%d, \"max_us\": %%d, \"status_errors\": %%d, \"connect\": %%d, " ..
    "\"read\": %%d, \"write\": %%d, \"timeout\": %%d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write, e.timeout))
end
"""


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string here (ASCII only)


def script(cookie: str, token: str, writes, id_range: tuple[int, int], threads: int) -> str:
    """The wrk script for this data set."""
    rows = ",".join(f"{{{i},{v},{p}}}" for i, v, p in writes)
    return LUA % {
        "cookie": _lua_string(cookie),
        "token": _lua_string(token),
        "writes": "{" + rows + "}",
        "first": id_range[0],
        "last": id_range[1],
        "threads": threads,
    }


def run_mix(base: str, lua: str, seconds: int, threads: int = 2, connections: int = 4) -> dict:
    """Run wrk; return throughput, latency percentiles (ms) and error counts."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError(WRK_HINT)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(lua)
    try:
        command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
        command += ["-s", handle.name]
        output = subprocess.run(  # noqa: S603
            [*command, base], capture_output=True, text=True, check=True, timeout=seconds + 120
        ).stdout
    finally:
        Path(handle.name).unlink()
    found = LINE.search(output)
    if found is None:
        raise RuntimeError(f"wrk gave no summary:\n{output}")
    raw = json.loads(found.group(1))
    errors = sum(raw[k] for k in ("status_errors", "connect", "read", "write", "timeout"))
    return {
        "seconds": seconds,
        "threads": threads,
        "connections": connections,
        "requests": raw["requests"],
        "throughput_rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "median_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "errors": errors,
        "error_detail": {
            k: raw[k] for k in ("status_errors", "connect", "read", "write", "timeout")
        },
    }
