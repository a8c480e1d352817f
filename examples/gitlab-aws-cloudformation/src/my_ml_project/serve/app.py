"""The app factory: `/predict`, `/health`, `/ready` and `/metrics`.

The model is loaded through `load_serving_model` (loading.py), from where MODEL_SOURCE says (see
model_source.py; an unknown value stops the start). Nothing on this import path needs pandas,
the training stack or MLflow, so the app starts quickly in a small image. A server started
before any model exists answers `/health` but not `/ready`, and picks the model up as soon as it
arrives: no restart needed.

Every answer is one the OpenAPI document lists: 400 for a body that is not JSON, 413 for one above
the size limit and 415 for one not sent as JSON (both before it is read, see limits.py), 422
naming each refused value (or the rows the model could not score), 503 until a model is loaded,
and 500, with a JSON body, only for a bug.
"""

# No `from __future__ import annotations`: FastAPI reads the request body's model from the
# annotation of /predict's function, which names a model built when the app is.

import math
import time
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, HTTPException, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from .. import __version__
from ..artifacts import ModelNotFoundError
from ..config import Settings, load_settings
from ..model_source import model_source
from ..params import DEFAULT_PARAMS, ConfigError
from .limits import JSON_MEDIA_TYPE, BodyGuard, body_limit
from .loading import load_serving_model
from .metrics import CONTENT_TYPE_LATEST, ServingMetrics
from .model import ServingModel
from .schemas import (
    ErrorDetail,
    FieldError,
    Prediction,
    PredictResponse,
    Status,
    ValidationErrors,
    request_model,
)

NOT_READY: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorDetail, "description": "No trained model yet"}
}
PREDICT_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorDetail, "description": "The body is not valid JSON"},
    413: {"model": ErrorDetail, "description": "The body is larger than the limit (MAX_BODY_BYTES)"},
    415: {"model": ErrorDetail, "description": f"The body is not sent as {JSON_MEDIA_TYPE}"},
    422: {
        "model": ValidationErrors,
        "description": "A refused value (its row and field named) or rows the model could not score",
    },
    **NOT_READY,
}
SERVER_ERROR: dict[int | str, dict[str, Any]] = {
    500: {"model": ErrorDetail, "description": "A bug: the server's log has the traceback"}
}


class ModelSlot:
    """Holds the model once a trained one could be loaded; until then, why not."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._model: ServingModel | None = None
        self.problem = ""

    def model(self) -> ServingModel | None:
        if self._model is None:
            try:
                self._model = load_serving_model(self._settings)
            except ModelNotFoundError as error:
                self.problem = str(error)
        return self._model


def refuse_invalid_request(request: Request, error: Exception) -> JSONResponse:
    """400 for a body that is not JSON; 422 naming every refused value.

    FastAPI's own 422 echoes each refused input, which fails to encode when it is NaN or infinite.
    """
    assert isinstance(error, RequestValidationError)
    errors = error.errors()
    if any(problem["type"] == "json_invalid" for problem in errors):
        return JSONResponse(
            ErrorDetail(detail="the body is not valid JSON").model_dump(), status.HTTP_400_BAD_REQUEST
        )
    refused = [
        FieldError(loc=list(problem["loc"]), msg=problem["msg"], type=problem["type"]) for problem in errors
    ]
    return JSONResponse(ValidationErrors(detail=refused).model_dump(), HTTPStatus.UNPROCESSABLE_ENTITY)


def report_server_error(request: Request, error: Exception) -> JSONResponse:
    """A bug: a JSON body like every other answer (uvicorn still logs the traceback)."""
    return JSONResponse(
        ErrorDetail(detail="internal server error").model_dump(), status.HTTP_500_INTERNAL_SERVER_ERROR
    )


def route_label(request: Request) -> str:
    """The route's template, not the raw path, which keeps the number of label values bounded.

    FastAPI's own routes put themselves in the scope; the docs pages (Starlette routes) and
    requests refused before routing (limits.py) are matched by their path.
    """
    route = request.scope.get("route")
    if route is not None:
        return str(route.path)
    paths = {getattr(candidate, "path", None) for candidate in request.app.routes}
    return request.scope["path"] if request.scope["path"] in paths else "unmatched"


def unscorable(message: str) -> HTTPException:
    detail = [FieldError(loc=["body", "rows"], msg=message, type="unscorable").model_dump()]
    return HTTPException(HTTPStatus.UNPROCESSABLE_ENTITY, detail=detail)


def create_app(settings: Settings) -> FastAPI:
    problems = settings.schema.problems(settings.features)
    if problems:
        raise ConfigError("params.yaml: schema: " + "; ".join(problems))
    model_source()  # a misspelt MODEL_SOURCE fails the start, not every /ready
    app = FastAPI(title=__package__ or "serve", version=__version__, responses=SERVER_ERROR)
    app.add_exception_handler(RequestValidationError, refuse_invalid_request)
    app.add_exception_handler(Exception, report_server_error)
    # Added before the metrics' middleware, so inside it: its refusals are counted too.
    app.add_middleware(BodyGuard, max_bytes=body_limit(settings.schema), json_paths=frozenset({"/predict"}))
    threshold = settings.evaluate.threshold
    slot = ModelSlot(settings)
    slot.model()
    metrics = ServingMetrics()

    @app.middleware("http")
    async def record_request(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        start = time.perf_counter()
        status_code = status.HTTP_500_INTERNAL_SERVER_ERROR
        try:
            response = await call_next(request)
            status_code = response.status_code
        finally:
            metrics.observe_request(
                request.method, route_label(request), status_code, time.perf_counter() - start
            )
        return response

    @app.get("/health")
    def health() -> Status:
        """Liveness: the process answers."""
        return Status(status="ok")

    @app.get("/ready", responses={503: {"model": Status, "description": "No trained model yet"}})
    def ready(response: Response) -> Status:
        """Readiness: a trained model is loaded and requests can be scored."""
        if slot.model() is None:
            response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
            return Status(status="not ready", detail=slot.problem)
        return Status(status="ready")

    # FastAPI validates the body against the annotation: the rows that params.yaml's schema
    # allows, a model built here; mypy knows it as its base.
    if TYPE_CHECKING:
        from .schemas import PredictRequest as RowsRequest  # noqa: PLC0415
    else:
        RowsRequest = request_model(settings.schema)  # noqa: N806

    @app.post("/predict", responses=PREDICT_ERRORS)
    def predict_rows(request: RowsRequest) -> PredictResponse:
        """Score a batch of rows: one probability and one decision per row."""
        model = slot.model()
        if model is None:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=slot.problem)
        rows = [row.model_dump() for row in request.rows]
        columns = {name: [row[name] for row in rows] for name in settings.features.columns}
        try:
            scored = model.probabilities(columns)
        except (ValueError, ArithmeticError) as error:
            raise unscorable(f"the model could not score these rows: {error}") from error
        # Rounded as batch scoring rounds them (predict.py); the decision uses the exact value.
        probabilities = [round(float(value), 6) for value in scored]
        unscored = [index for index, value in enumerate(probabilities) if not math.isfinite(value)]
        if unscored:
            raise unscorable(f"the model gave no probability for the rows {unscored}")
        predictions = [int(float(value) >= threshold) for value in scored]
        metrics.observe_predictions(probabilities, predictions)
        return PredictResponse(
            predictions=[
                Prediction(probability=probability, prediction=prediction)
                for probability, prediction in zip(probabilities, predictions, strict=True)
            ],
            threshold=threshold,
        )

    @app.get("/metrics", include_in_schema=False)
    def metrics_endpoint() -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return app


def app_from_params() -> FastAPI:
    """The app for `params.yaml` in the working directory (uvicorn's `--factory` calls this)."""
    return create_app(load_settings(DEFAULT_PARAMS))
