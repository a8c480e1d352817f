"""Prometheus metrics of the app: requests, latency and what the model predicts.

Each app gets a registry of its own, so that several apps (as in the tests) never share counts.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

__all__ = ["CONTENT_TYPE_LATEST", "ServingMetrics"]

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"})

# Decisions are watched for shifts: a rising share of positives is often the first sign of drift.
PROBABILITY_BUCKETS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


class ServingMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests",
            "HTTP requests by method, route and status code (500 for an unhandled error)",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Time to answer an HTTP request",
            ["method", "route"],
            registry=self.registry,
        )
        self.predictions = Counter("predictions", "Predicted classes", ["prediction"], registry=self.registry)
        self.probability = Histogram(
            "prediction_probability",
            "Predicted probability of the positive class",
            buckets=PROBABILITY_BUCKETS,
            registry=self.registry,
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        # A client chooses the method: any it makes up shares one label value.
        method = method if method in HTTP_METHODS else "other"
        self.requests.labels(method=method, route=route, status=str(status)).inc()
        self.latency.labels(method=method, route=route).observe(seconds)

    def observe_predictions(self, probabilities: Iterable[float], predictions: Iterable[int]) -> None:
        for probability in probabilities:
            self.probability.observe(probability)
        for prediction in predictions:
            self.predictions.labels(prediction=str(prediction)).inc()

    def exposition(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)
