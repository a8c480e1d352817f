"""What `/predict` reads: a JSON body of at most MAX_BODY_BYTES bytes, refused before it is parsed.

The row cap (schemas.py) is checked only once the whole body has been parsed, so on its own it
bounds nothing: a client could send a body of any size, and the server would hold all of it, and
then the parsed JSON, before refusing it. `BodyGuard` refuses such a body before it is read:

- 415 for a /predict request that does not say it sends JSON;
- 413 when its Content-Length is above the limit, before a byte of it is read;
- 413 as soon as a body sent without one (chunked) passes the limit while it streams in.

The default limit is twice the largest body that 1,000 honest rows make (see `default_body_limit`);
MAX_BODY_BYTES in the environment sets another.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from http import HTTPStatus
from typing import Any

from fastapi import HTTPException
from fastapi.datastructures import Headers
from fastapi.responses import JSONResponse

from ..data_schema import DataSchema
from ..params import ConfigError
from .schemas import MAX_ROWS_PER_REQUEST, ErrorDetail

# The ASGI interface, as Starlette (FastAPI's base) types it.
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_VARIABLE = "MAX_BODY_BYTES"
JSON_MEDIA_TYPE = "application/json"
# The longest number a JSON encoder writes for a float: 17 significant digits with a sign, a point
# and a three-digit exponent.
LONGEST_FLOAT = -2.2250738585072014e-308
# Room for the whitespace a client may add: indenting each field by four spaces, as
# `json.dumps(body, indent=4)` does, adds about half to a compact body.
HEADROOM = 2


def largest_row(schema: DataSchema) -> dict[str, Any]:
    """A row whose every value is the longest the schema allows: the widest integer bound, the
    longest float, the longest category."""
    row: dict[str, Any] = {
        name: max(int(limits.minimum), int(limits.maximum), key=lambda bound: len(str(bound)))
        if limits.integer
        else LONGEST_FLOAT
        for name, limits in schema.numeric.items()
    }
    row.update({name: max(values, key=len) for name, values in schema.categorical.items()})
    return row


def default_body_limit(schema: DataSchema) -> int:
    """Twice the bytes of the largest request the API accepts: MAX_ROWS_PER_REQUEST of the largest
    row, as `json.dumps` writes them (non-ASCII characters escaped, six bytes each)."""
    largest = json.dumps({"rows": [largest_row(schema)] * MAX_ROWS_PER_REQUEST})
    return HEADROOM * len(largest.encode())


def body_limit(schema: DataSchema, environ: Mapping[str, str] = os.environ) -> int:
    """MAX_BODY_BYTES when it is set (a positive whole number of bytes), else the default."""
    value = environ.get(MAX_BODY_VARIABLE)
    if not value:
        return default_body_limit(schema)
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{MAX_BODY_VARIABLE} must be a positive number of bytes, got {value!r}")
    return int(value)


def is_json(content_type: str | None) -> bool:
    """Whether a Content-Type header says JSON (parameters such as `charset` aside)."""
    return content_type is not None and content_type.split(";")[0].strip().lower() == JSON_MEDIA_TYPE


def refusal(status_code: int, detail: str) -> JSONResponse:
    return JSONResponse(ErrorDetail(detail=detail).model_dump(), status_code)


class BodyGuard:
    """ASGI middleware: refuses a body that is too large, or a /predict one that is not JSON,
    before the app reads it whole (see the module's docstring)."""

    def __init__(self, app: ASGIApp, max_bytes: int, json_paths: frozenset[str]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.json_paths = json_paths
        self.too_large = f"the body is larger than the limit of {max_bytes} bytes ({MAX_BODY_VARIABLE})"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = self.refused_on_headers(scope, Headers(scope=scope))
        if refused is not None:
            await refused(scope, receive, send)
            return
        await self.app(scope, self.receive_at_most(receive), send)

    def refused_on_headers(self, scope: Scope, headers: Headers) -> JSONResponse | None:
        posted = scope["method"] == "POST" and scope["path"] in self.json_paths
        if posted and not is_json(headers.get("content-type")):
            return refusal(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                f"the body must be JSON, sent with Content-Type: {JSON_MEDIA_TYPE}",
            )
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return refusal(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, self.too_large)
        return None

    def receive_at_most(self, receive: Receive) -> Receive:
        """`receive`, stopped by a 413 once the body's chunks add up to more than the limit."""
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                # FastAPI passes an HTTPException raised while it reads the body on to its handler,
                # which answers with it: a JSON body, like every other refusal.
                raise HTTPException(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, detail=self.too_large)
            return message

        return counted
