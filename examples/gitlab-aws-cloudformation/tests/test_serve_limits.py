"""What /predict refuses before it parses a body (serve/limits.py): too large (413), not JSON (415);
and the metrics' labels of the routes FastAPI itself adds."""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
from typing import Any

import pandas as pd
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from my_ml_project.config import Settings
from my_ml_project.params import ConfigError
from my_ml_project.serve import create_app
from my_ml_project.serve.limits import MAX_BODY_VARIABLE, default_body_limit, largest_row
from my_ml_project.serve.schemas import MAX_ROWS_PER_REQUEST

from .serving import caller_rows

JSON = {"content-type": "application/json"}


def too_large(limit: int) -> dict[str, str]:
    return {"detail": f"the body is larger than the limit of {limit} bytes (MAX_BODY_BYTES)"}


@pytest.fixture
def default_limit(trained: Settings, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.delenv(MAX_BODY_VARIABLE, raising=False)
    return default_body_limit(trained.schema)


@pytest.fixture
def client(trained: Settings, default_limit: int) -> TestClient:
    return TestClient(create_app(trained))


@pytest.fixture
def full_batch(customers: pd.DataFrame, trained: Settings) -> bytes:
    """A request of as many rows as one may hold, taken from the sample."""
    rows = caller_rows(customers, trained)
    return json.dumps({"rows": (rows * MAX_ROWS_PER_REQUEST)[:MAX_ROWS_PER_REQUEST]}).encode()


def test_the_default_limit_takes_the_largest_rows_indented(trained: Settings, default_limit: int) -> None:
    body = json.dumps({"rows": [largest_row(trained.schema)] * MAX_ROWS_PER_REQUEST}, indent=4)

    assert len(body.encode()) <= default_limit


def padded(body: bytes, size: int) -> bytes:
    """`body` with spaces after it, which JSON allows, up to `size` bytes."""
    return body + b" " * (size - len(body))


def test_a_full_batch_at_the_limit_is_scored(
    client: TestClient, full_batch: bytes, default_limit: int
) -> None:
    response = client.post("/predict", content=padded(full_batch, default_limit), headers=JSON)

    assert response.status_code == 200
    assert len(response.json()["predictions"]) == MAX_ROWS_PER_REQUEST


def test_one_byte_over_the_limit_is_too_large(
    client: TestClient, full_batch: bytes, default_limit: int
) -> None:
    response = client.post("/predict", content=padded(full_batch, default_limit + 1), headers=JSON)

    assert response.status_code == 413
    assert response.json() == too_large(default_limit)


# The size of the chunks in which uvicorn hands a body over as it arrives.
CHUNK = 65536


def call(app: FastAPI, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any], int]:
    """POST /predict straight to the ASGI app, `body` in chunks as a server delivers one it streams
    in; returns the status, the JSON answer and how many chunks the app read."""
    chunks = [body[start : start + CHUNK] for start in range(0, len(body), CHUNK)]
    read = 0
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        read += 1
        return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/predict",
        "raw_path": b"/predict",
        "root_path": "",
        "query_string": b"",
        "headers": [(name.encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(app(scope, receive, send))
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return sent[0]["status"], json.loads(body), read


def test_a_declared_length_above_the_limit_is_refused_before_a_byte_is_read(
    trained: Settings, default_limit: int
) -> None:
    headers = {**JSON, "content-length": str(default_limit + 1)}

    status, answer, read = call(create_app(trained), headers, b" " * (default_limit + 1))

    assert (status, read) == (413, 0)
    assert answer == too_large(default_limit)


def test_a_chunked_body_is_refused_once_it_passes_the_limit(trained: Settings, default_limit: int) -> None:
    """No Content-Length (Transfer-Encoding: chunked): counted as it arrives, never read whole."""
    status, answer, read = call(create_app(trained), JSON, b" " * default_limit * 4)

    assert status == 413
    assert answer == too_large(default_limit)
    assert read == default_limit // CHUNK + 1


@pytest.mark.parametrize(
    "headers",
    [{"content-type": "text/plain"}, {"content-type": "application/x-www-form-urlencoded"}, {}],
    ids=["text", "form", "none"],
)
def test_a_body_not_sent_as_json_is_unsupported(
    client: TestClient, full_batch: bytes, headers: dict[str, str]
) -> None:
    response = client.post("/predict", content=full_batch, headers=headers)

    assert response.status_code == 415
    assert response.json() == {"detail": "the body must be JSON, sent with Content-Type: application/json"}


def test_json_with_a_charset_is_json(client: TestClient, full_batch: bytes) -> None:
    headers = {"content-type": "Application/JSON; charset=utf-8"}

    response = client.post("/predict", content=full_batch, headers=headers)

    assert response.status_code == 200


def test_max_body_bytes_sets_the_limit(
    trained: Settings, full_batch: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MAX_BODY_VARIABLE, str(len(full_batch) - 1))

    response = TestClient(create_app(trained)).post("/predict", content=full_batch, headers=JSON)

    assert response.status_code == 413
    assert response.json() == too_large(len(full_batch) - 1)


@pytest.mark.parametrize("value", ["0", "-5", "1MB"])
def test_a_limit_that_is_not_a_positive_number_stops_the_start(
    trained: Settings, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(MAX_BODY_VARIABLE, value)

    with pytest.raises(
        ConfigError, match=f"MAX_BODY_BYTES must be a positive number of bytes, got '{value}'$"
    ):
        create_app(trained)


def test_docs_routes_and_refusals_are_labelled_by_their_path(client: TestClient) -> None:
    pages = ["/docs", "/docs/oauth2-redirect", "/openapi.json", "/redoc"]
    for page in pages:
        assert client.get(page).status_code == 200
    client.post("/predict", content=b"rows", headers={"content-type": "text/plain"})
    client.get("/no-such-page")

    families = text_string_to_metric_families(client.get("/metrics").text)
    counted = {
        (sample.labels["route"], sample.labels["status"])
        for family in families
        if family.name == "http_requests"
        for sample in family.samples
        if sample.name == "http_requests_total"
    }

    assert counted == {*((page, "200") for page in pages), ("/predict", "415"), ("unmatched", "404")}
