"""Memory of the served app under three concurrent 100 MiB bodies: its peak RSS above idle.

    python -m benchmarks.serving_memory [--runs 3] [--megabytes 100] [--clients 3] [--vcs-ref REF]

Renders a default project, installs its runtime dependencies (uv, Python 3.12, compiled bytecode),
trains the sample model with the project's own CLI and starts the app as `make serve` does
(uvicorn, one worker, loopback), afresh for each run, so that no run inherits the memory of the
one before. Once `/ready` answers and one small batch has been scored, the idle RSS is read from
/proc and the peak RSS reset (/proc/PID/clear_refs); then `--clients` threads each POST a body of
`--megabytes` MiB of honest rows to `/predict` at once, with a Content-Length, or chunked
(without one). The figure is the median over the runs of the process's peak RSS (VmHWM) above
its idle RSS, with the statuses the clients got ("reset" when the server closed the connection
before answering). `--vcs-ref` renders a commit or branch
of this repository instead of a snapshot of its working tree (to compare with the app before a
change).
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from benchmarks.served_project import Server, trained_project
from tests.helpers import TEMPLATE_ROOT, snapshot_template
from tests.local_http import status_of

MIB = 2**20
# One row of the bundled sample's shape, as a client sends it.
ROW = {
    "tenure_months": 61,
    "monthly_charges": 96.5,
    "support_calls": 2,
    "contract": "one-year",
    "payment_method": "credit-card",
}
MODES = ("Content-Length", "chunked")


class Run(NamedTuple):
    idle: int  # KiB
    above_idle: int  # KiB
    statuses: list[str]


def body_pieces(size: int) -> Iterator[bytes]:
    """`{"rows": [ROW, ROW, ...]}` of about `size` bytes, in pieces of about 1 MiB."""
    row = json.dumps(ROW).encode()
    piece = b", ".join([row] * (MIB // (len(row) + 2))) + b", "
    yield b'{"rows": ['
    for _ in range(size // len(piece)):
        yield piece
    yield row + b"]}"


def post(port: int, size: int, mode: str) -> str:
    """POST one large body; the status, or "reset" when the server closed the connection first."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"content-type": "application/json"}
    try:
        if mode == "chunked":
            connection.request(
                "POST", "/predict", body=body_pieces(size), headers=headers, encode_chunked=True
            )
        else:
            length = sum(len(piece) for piece in body_pieces(size))
            connection.request(
                "POST", "/predict", body=body_pieces(size), headers={**headers, "content-length": str(length)}
            )
        return str(connection.getresponse().status)
    except OSError:
        try:
            return str(connection.getresponse().status)
        except (OSError, http.client.HTTPException):
            return "reset"
    finally:
        connection.close()


def rss_kib(pid: int, field: str) -> int:
    """VmRSS (now) or VmHWM (the peak since the last reset) of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise KeyError(field)


def one_run(project: Path, env: dict[str, str], log: Path, *, size: int, mode: str, clients: int) -> Run:
    """Idle RSS, peak RSS above it (KiB) and the clients' statuses of a fresh server's one round
    of large bodies."""
    with Server(project, env, log) as server:
        server.wait_for("/ready")
        warm_up(server)
        time.sleep(1)
        idle = rss_kib(server.pid, "VmRSS")
        Path(f"/proc/{server.pid}/clear_refs").write_text("5", encoding="utf-8")  # peak RSS := RSS now
        with ThreadPoolExecutor(clients) as pool:
            statuses = list(pool.map(lambda _: post(server.port, size, mode), range(clients)))
        return Run(idle, rss_kib(server.pid, "VmHWM") - idle, statuses)


def warm_up(server: Server) -> None:
    """One small batch scored, so that idle includes what scoring loads."""
    if status_of(f"{server.url}/predict", {"rows": [ROW]}) != 200:
        raise RuntimeError("the warm-up batch was not scored")


def main() -> None:
    parser = argparse.ArgumentParser(description="Peak RSS of the app above idle under large bodies.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--megabytes", type=int, default=100, help="MiB per body")
    parser.add_argument("--clients", type=int, default=3)
    parser.add_argument("--vcs-ref", help="render this commit or branch of the repository")
    arguments = parser.parse_args()
    size = arguments.megabytes * MIB
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        template = TEMPLATE_ROOT if arguments.vcs_ref else snapshot_template(root / "template")
        copier_args = ("--vcs-ref", arguments.vcs_ref) if arguments.vcs_ref else ()
        project = root / "project"
        env = trained_project(template, project, "scikit-learn", *copier_args)
        print(
            f"{arguments.clients} concurrent {arguments.megabytes} MiB bodies to /predict "
            f"(uvicorn, one worker, a fresh server per run), median of {arguments.runs} runs, MiB"
        )
        print(f"  {'body':<16}{'idle RSS':>9}{'peak above idle':>17}{'largest':>9}  statuses")
        for mode in MODES:
            log = root / "uvicorn.log"
            runs = [
                one_run(project, env, log, size=size, mode=mode, clients=arguments.clients)
                for _ in range(arguments.runs)
            ]
            idle = statistics.median(run.idle for run in runs) / 1024
            above = [run.above_idle / 1024 for run in runs]
            statuses = " ".join(sorted({status for run in runs for status in run.statuses}))
            figures = f"{idle:>9.0f}{statistics.median(above):>17.0f}{max(above):>9.0f}"
            print(f"  {mode:<16}{figures}  {statuses}", flush=True)


if __name__ == "__main__":
    main()
