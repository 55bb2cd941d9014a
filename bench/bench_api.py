"""The assess endpoint under load from a second process, against direct evaluate() calls.

Starts ``talentvisa serve`` on loopback, loads ``POST /api/v1/assess`` (full profile, every
programme) with ``wrk`` (Debian package) for a fixed time, then makes the same number of
direct ``evaluate()`` calls for every programme in this process. The ratio of the two is
the cost of HTTP, JSON and the framework around the rules. Machines here are noisy, so the
ratio matters more than either absolute figure.

Run: ``python bench/bench_api.py [--seconds 10] [--connections 4]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from talentvisa.inputs import load_profile
from talentvisa.report import check_document
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
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
            )
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
    finally:
        server.terminate()
        server.wait(timeout=10)
    total = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    p50 = ms(re.search(r"50%\s+(\S+)", out)[1])  # type: ignore[index]
    p99 = ms(re.search(r"99%\s+(\S+)", out)[1])  # type: ignore[index]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    programs = list(builtin_programs().values())
    start = time.perf_counter()
    for _ in range(total):
        for p in programs:
            evaluate(profile, p, AS_OF)
    direct = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(min(total, 2000)):
        check_document([evaluate(profile, p, AS_OF) for p in programs], AS_OF)
    with_doc = (time.perf_counter() - start) / min(total, 2000)

    per_direct = direct / total
    print(
        f"programmes per request: {len(programs)}; wrk: 1 thread, {args.connections} connections, {args.seconds} s"
    )
    print(
        f"HTTP  POST /api/v1/assess : {rps:8.1f} req/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   ({total} requests{', ' + errors[1] + ' errors' if errors else ''})"
    )
    print(
        f"direct evaluate() x{len(programs)}      : {1 / per_direct:8.1f} /s      mean {per_direct * 1000:6.2f} ms   ({total} calls)"
    )
    print(
        f"direct evaluate()+JSON doc : {1 / with_doc:8.1f} /s      mean {with_doc * 1000:6.2f} ms"
    )
    print(
        f"ratio HTTP / direct evaluate(): throughput {rps * per_direct:.2f}, i.e. the framework costs {1 / (rps * per_direct):.1f}x"
    )


if __name__ == "__main__":
    main()
