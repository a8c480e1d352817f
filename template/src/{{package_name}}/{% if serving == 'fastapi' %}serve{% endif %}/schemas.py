"""Request and response bodies of the API, validated by pydantic.

`CustomerFeatures` lists the feature columns of `params.yaml` with their types and ranges: the app
refuses to start when the two disagree (see `check_schema`), so a changed feature list fails
loudly instead of scoring with a column missing.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ..config import ConfigError
from ..features import FeaturesConfig

# Bounds the memory and time one request can take; larger jobs use `predict` on a CSV file.
MAX_ROWS_PER_REQUEST = 1000


class CustomerFeatures(BaseModel):
    """One row to score: the model's feature columns, nothing else."""

    model_config = ConfigDict(extra="forbid")

    tenure_months: int = Field(ge=0, description="months since the customer joined")
    monthly_charges: float = Field(ge=0, description="current monthly bill")
    support_calls: int = Field(ge=0, description="support calls in the last quarter")
    contract: str = Field(min_length=1, description="e.g. month-to-month, one-year, two-year")
    payment_method: str = Field(min_length=1, description="e.g. electronic-check, credit-card")


class PredictRequest(BaseModel):
    """A batch of rows, scored together."""

    model_config = ConfigDict(extra="forbid")

    rows: list[CustomerFeatures] = Field(min_length=1, max_length=MAX_ROWS_PER_REQUEST)


class Prediction(BaseModel):
    probability: float = Field(ge=0, le=1, description="probability of the positive class")
    prediction: int = Field(ge=0, le=1, description="1 when the probability reaches the threshold")


class PredictResponse(BaseModel):
    """One prediction per row, in the order of the request."""

    predictions: list[Prediction]
    threshold: float


class Status(BaseModel):
    status: str
    detail: str = ""


def check_schema(features: FeaturesConfig) -> None:
    """Raise ConfigError unless the request schema lists exactly the configured features."""
    expected = set(features.columns)
    declared = set(CustomerFeatures.model_fields)
    if declared != expected:
        raise ConfigError(
            "serve/schemas.py and params.yaml disagree on the features: "
            f"only in the schema: {sorted(declared - expected)}, only in params.yaml: "
            f"{sorted(expected - declared)}"
        )
