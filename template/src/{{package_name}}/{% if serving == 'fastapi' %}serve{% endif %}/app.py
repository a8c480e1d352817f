"""The app factory: `/predict`, `/health`, `/ready` and `/metrics`.

The model is loaded through `load_trained_model`, the same entry point batch scoring uses. A
server started before any model exists answers `/health` but not `/ready`, and picks the model
up as soon as the pipeline has trained one: no restart needed.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import pandas as pd
from fastapi import FastAPI, HTTPException, Request, Response, status

from .. import __version__
from ..artifacts import ModelNotFoundError
from ..config import DEFAULT_PARAMS, Settings, load_settings
from ..predict import load_trained_model, predict
from .metrics import CONTENT_TYPE_LATEST, ServingMetrics
from .schemas import Prediction, PredictRequest, PredictResponse, Status, check_schema

Scorer = Callable[[pd.DataFrame], pd.DataFrame]


class ModelSlot:
    """Holds the scorer once a trained model could be loaded; until then, why not."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._scorer: Scorer | None = None
        self.problem = ""

    def scorer(self) -> Scorer | None:
        if self._scorer is None:
            try:
                model = load_trained_model(self._settings)
            except ModelNotFoundError as error:
                self.problem = str(error)
                return None
            features, threshold = self._settings.features, self._settings.evaluate.threshold

            def score(frame: pd.DataFrame) -> pd.DataFrame:
                return predict(model, frame, features, threshold)

            self._scorer = score
        return self._scorer


def create_app(settings: Settings) -> FastAPI:
    check_schema(settings.features)
    app = FastAPI(title=__package__ or "serve", version=__version__)
    slot = ModelSlot(settings)
    slot.scorer()
    metrics = ServingMetrics()

    @app.middleware("http")
    async def record_request(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        start = time.perf_counter()
        response = await call_next(request)
        # The route's template, not the raw path, keeps the number of label values bounded.
        route = getattr(request.scope.get("route"), "path", "unmatched")
        metrics.observe_request(request.method, route, response.status_code, time.perf_counter() - start)
        return response

    @app.get("/health")
    def health() -> Status:
        """Liveness: the process answers."""
        return Status(status="ok")

    @app.get("/ready", responses={503: {"model": Status}})
    def ready(response: Response) -> Status:
        """Readiness: a trained model is loaded and requests can be scored."""
        if slot.scorer() is None:
            response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
            return Status(status="not ready", detail=slot.problem)
        return Status(status="ready")

    @app.post("/predict", responses={503: {"description": "no trained model yet"}})
    def predict_rows(request: PredictRequest) -> PredictResponse:
        """Score a batch of rows: one probability and one decision per row."""
        scorer = slot.scorer()
        if scorer is None:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=slot.problem)
        scored = scorer(pd.DataFrame([row.model_dump() for row in request.rows]))
        probabilities = [float(value) for value in scored["probability"]]
        predictions = [int(value) for value in scored["prediction"]]
        metrics.observe_predictions(probabilities, predictions)
        return PredictResponse(
            predictions=[
                Prediction(probability=probability, prediction=prediction)
                for probability, prediction in zip(probabilities, predictions, strict=True)
            ],
            threshold=settings.evaluate.threshold,
        )

    @app.get("/metrics", include_in_schema=False)
    def metrics_endpoint() -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return app


def app_from_params() -> FastAPI:
    """The app for `params.yaml` in the working directory (uvicorn's `--factory` calls this)."""
    return create_app(load_settings(DEFAULT_PARAMS))
