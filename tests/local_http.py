"""A free port on 127.0.0.1 and a request to a server the tests started there."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def status_of(url: str, body: dict[str, Any] | None = None) -> int:
    """The HTTP status of a GET (a POST of `body` as JSON); OSError while nothing listens."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def wait_until_answering(
    url: str,
    still_starting: Callable[[], bool],
    timeout: float = 120,
    answered: Callable[[int], bool] = lambda status: True,
) -> bool:
    """Whether `url` answered, with a status `answered` accepts, before `timeout` seconds passed
    or the server exited (`still_starting()` is then false)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and still_starting():
        try:
            if answered(status_of(url)):
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False
