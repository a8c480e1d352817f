"""Tier 2: the rendered scripts/bitbucket_pull_request.py of a Bitbucket project opens, then
refreshes, a pull request, and explains an unreachable API, an error answer and a timeout in one
line each."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from extensions.updates import load_script
from tests.conftest import RenderRow
from tests.delivery import BITBUCKET, Delivery, delivery_of
from tests.helpers import tool_env

pytestmark = pytest.mark.matrix


@pytest.fixture
def delivery(request: pytest.FixtureRequest, render_row: RenderRow) -> Delivery:
    return delivery_of(request, render_row)


@pytest.mark.parametrize("delivery", BITBUCKET[:1], indirect=True)
def test_bitbucket_pull_request_script_opens_then_refreshes(
    delivery: Delivery, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The rendered script, its API calls recorded: no open pull request opens one, an open one
    is refreshed in place."""
    script = load_script(delivery.project / "scripts/bitbucket_pull_request.py", "pull_request")
    calls: list[tuple[str, str, dict[str, Any] | None]] = []
    open_ids: list[dict[str, Any]] = []

    def call(url: str, token: str, method: str = "GET", body: dict[str, Any] | None = None) -> dict[str, Any]:
        assert token == "secret"
        calls.append((method, url, body))
        return {"values": open_ids} if method == "GET" else {"id": 7}

    monkeypatch.setattr(script, "call", call)
    monkeypatch.setenv("GITOPS_TOKEN", "secret")
    monkeypatch.setenv("BITBUCKET_REPO_FULL_NAME", "acme/churn")
    body = tmp_path / "body.md"
    body.write_text("Why\n", encoding="utf-8")
    argv = ["--token-variable", "GITOPS_TOKEN", "--source", "deploy/x", "--destination", "main"]
    argv += ["--title", "deploy: x", "--description-file", str(body)]

    assert script.main(argv) == 0
    pulls = "https://api.bitbucket.org/2.0/repositories/acme/churn/pullrequests"
    assert calls[0][0] == "GET"
    assert calls[0][1].startswith(f"{pulls}?q=")
    assert "source.branch.name%3D%22deploy%2Fx%22" in calls[0][1]
    assert calls[1] == (
        "POST",
        pulls,
        {
            "title": "deploy: x",
            "description": "Why\n",
            "source": {"branch": {"name": "deploy/x"}},
            "destination": {"branch": {"name": "main"}},
            "close_source_branch": True,
        },
    )
    calls.clear()
    open_ids.append({"id": 42})
    assert script.main(argv) == 0
    assert calls[1] == ("PUT", f"{pulls}/42", {"title": "deploy: x", "description": "Why\n"})
    monkeypatch.delenv("GITOPS_TOKEN")
    assert script.main(argv) == 1


PULL_REQUEST_ARGS = ["--token-variable", "GITOPS_TOKEN", "--source", "deploy/x", "--destination", "main"]
PULL_REQUEST_ARGS += ["--title", "deploy: x"]


def _pull_request(project: Path, api: str) -> subprocess.CompletedProcess[str]:
    """The rendered script run as the pipeline step runs it, against the API at `api`."""
    env = tool_env({"GITOPS_TOKEN": "secret", "BITBUCKET_REPO_FULL_NAME": "acme/churn"})
    return subprocess.run(
        [sys.executable, "scripts/bitbucket_pull_request.py", *PULL_REQUEST_ARGS, "--api", api],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _closed_port() -> int:
    """A port of 127.0.0.1 that nothing listens on: bound by the system, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def _answering(status: int, body: bytes) -> Iterator[str]:
    """A local HTTP server that answers every request with this status and body; yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = _answer  # noqa: N815 - the names http.server dispatches to

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the test reads the script's output, not the server's

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/2.0/repositories"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("delivery", BITBUCKET[:1], indirect=True)
def test_bitbucket_pull_request_script_explains_an_unreachable_api(delivery: Delivery) -> None:
    """No network (here a closed port) ends the step with one line naming the host and what to
    check, status 1, and no traceback."""
    port = _closed_port()

    result = _pull_request(delivery.project, f"http://127.0.0.1:{port}/2.0/repositories")

    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: cannot reach 127.0.0.1:{port} (GET http://127.0.0.1:{port}/")
    assert "Connection refused" in result.stderr
    assert "network access" in result.stderr


@pytest.mark.parametrize("delivery", BITBUCKET[:1], indirect=True)
def test_bitbucket_pull_request_script_explains_an_error_answer(delivery: Delivery) -> None:
    """An HTTP error is one line too: the status, an excerpt of Bitbucket's answer, what to check."""
    answer = {"type": "error", "error": {"message": "Token is invalid, expired, or not supported"}}
    body = json.dumps(answer, indent=2).encode() + b" " * 1000

    with _answering(401, body) as api:
        result = _pull_request(delivery.project, api)

    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"GET {api}/acme/churn/pullrequests answered HTTP 401 Unauthorized" in result.stderr
    assert '"message": "Token is invalid, expired, or not supported"' in result.stderr
    assert "Check the token" in result.stderr
    assert len(result.stderr) < 1000


@pytest.mark.parametrize("delivery", BITBUCKET[:1], indirect=True)
def test_bitbucket_pull_request_script_explains_a_timeout(
    delivery: Delivery, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server that accepts the connection and never answers: the script's own wait, not a
    traceback. In process, to wait a fraction of a second instead of the script's 30."""
    script = load_script(delivery.project / "scripts/bitbucket_pull_request.py", "pull_request_timeout")
    monkeypatch.setattr(script, "TIMEOUT", 0.5)
    monkeypatch.setenv("GITOPS_TOKEN", "secret")
    monkeypatch.setenv("BITBUCKET_REPO_FULL_NAME", "acme/churn")

    # The system completes the connection for a listening socket; nothing ever reads or answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        api = f"http://127.0.0.1:{port}/2.0/repositories"
        status = script.main([*PULL_REQUEST_ARGS, "--api", api])

    assert status == 1
    error = capsys.readouterr().err
    assert len(error.splitlines()) == 1, error
    assert "no answer within 0.5 seconds" in error
    assert error.startswith(f"error: cannot reach 127.0.0.1:{port} (GET {api}/acme/churn/pullrequests)")
