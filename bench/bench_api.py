"""The assess endpoint under load from a second process, against direct evaluate() calls.

Starts ``talentvisa serve`` on loopback, loads ``POST /api/v1/assess`` (full profile, every
programme) with ``wrk`` (Debian package) for a fixed time, then makes the same number of
direct ``evaluate()`` calls for every programme in this process. The ratio of the two is
the cost of HTTP, JSON and the framework around the rules. Machines here are noisy, so the
ratio matters more than either absolute figure.

It also reports the server's CPU time per request (from /proc, so contention from other
work on the machine inflates it less than latency): at 100 requests/s one Python process
must spend under 10 ms of CPU on each. ``--rate R`` paces the load: Debian's wrk has no
``-R``, so each connection waits ``connections / R`` seconds after every response (a Lua
``delay()``), a closed loop that offers at most R requests/s and less when responses are
slow; the achieved rate is printed beside the latencies. Then the parts of one request
are timed in this process: evaluation, the document, and what validating it against the
response model would add (the API serialises it without validating since this benchmark
showed that step cost as much as evaluating).

Run: ``python bench/bench_api.py [--seconds 10] [--connections 4] [--rate 100]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from pydantic_core import to_json

from talentvisa.inputs import load_profile
from talentvisa.report import check_document
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from talentvisa.web.schemas import CheckDocument

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = dt.date(2026, 11, 29)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def per_call(work: object, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        work()  # type: ignore[operator]
    return (time.perf_counter() - start) / n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rate", type=float, help="Pace the load to at most this many req/s.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    profile = load_profile(EXAMPLES / "full.yaml")
    body = json.dumps(
        {"profile": profile.model_dump(mode="json", exclude_none=True), "as_of": AS_OF.isoformat()}
    )
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from talentvisa.cli import app; app()",
            "serve",
            "--port",
            str(port),
        ],
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_up(f"{base}/api/v1/programs")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(
                'wrk.method = "POST"\n'
                f"wrk.body = {json.dumps(body)}\n"
                'wrk.headers["Content-Type"] = "application/json"\n'
                + (
                    f"function delay() return {1000 * args.connections / args.rate:.1f} end\n"
                    if args.rate
                    else ""
                )
            )
        cpu_before = cpu_seconds(server.pid)
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "--latency",
                "-s",
                script.name,
                f"{base}/api/v1/assess",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        server_cpu = cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=10)
    total = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    p50 = ms(re.search(r"50%\s+(\S+)", out)[1])  # type: ignore[index]
    p99 = ms(re.search(r"99%\s+(\S+)", out)[1])  # type: ignore[index]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    programs = list(builtin_programs().values())
    n = min(total, 200)
    evaluated = per_call(lambda: [evaluate(profile, p, AS_OF) for p in programs], n)
    assessments = [evaluate(profile, p, AS_OF) for p in programs]
    document = check_document(assessments, AS_OF, "en", profile)
    documented = per_call(lambda: check_document(assessments, AS_OF, "en", profile), n)
    serialised = per_call(lambda: to_json(document), n)
    validated = per_call(
        lambda: CheckDocument.model_validate(document).model_dump_json(by_alias=True), n
    )
    paced = f", paced to {args.rate:g} req/s" if args.rate else ""
    print(
        f"programmes per request: {len(programs)}; wrk: 1 thread, "
        f"{args.connections} connections, {args.seconds} s{paced}"
    )
    print(
        f"HTTP  POST /api/v1/assess : {rps:8.1f} req/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms"
        f"   ({total} requests{', ' + errors[1] + ' errors' if errors else ''})"
    )
    print(f"server CPU per request     : {server_cpu / total * 1000:6.2f} ms")
    print("in this process, per request (ms):")
    print(f"  evaluate() x{len(programs)}             {evaluated * 1000:6.2f}")
    print(f"  check_document()          {documented * 1000:6.2f}")
    print(f"  serialise (to_json)       {serialised * 1000:6.2f}")
    print(f"  validate + dump (avoided) {validated * 1000:6.2f}")
    print(
        f"ratio HTTP / (evaluate + document + serialise): throughput "
        f"{rps * (evaluated + documented + serialised):.2f}"
    )


if __name__ == "__main__":
    main()
