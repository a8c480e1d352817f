"""Request and response bodies of the API, validated by pydantic.

The row of features is built from `schema:` in `params.yaml` (see `request_model`): one strict,
bounded field per numeric feature, one closed list per categorical one, unknown fields refused.
The OpenAPI document publishes the same limits, so a client can check a row before sending it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from ..data_schema import DataSchema, NumericRange

# Bounds the memory and time one request can take; larger jobs use `predict` on a CSV file.
MAX_ROWS_PER_REQUEST = 1000


class FeatureRow(BaseModel):
    """One row to score: the model's feature columns, nothing else (fields come from `params.yaml`)."""

    # Strict: `false` is not the integer 0, "3" is not the number 3, 2.5 is not an integer.
    model_config = ConfigDict(extra="forbid", strict=True)


class PredictRequest(BaseModel):
    """A batch of rows, scored together."""

    model_config = ConfigDict(extra="forbid")

    rows: list[FeatureRow] = Field(min_length=1, max_length=MAX_ROWS_PER_REQUEST)


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


class ErrorDetail(BaseModel):
    """Why a request was not answered: malformed JSON, no model yet, or a server error."""

    detail: str


class FieldError(BaseModel):
    """One refused value: `loc` names the place (`["body", "rows", 2, "contract"]`), `msg` says why."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationErrors(BaseModel):
    """Every refused value of a request."""

    detail: list[FieldError]


def _whole_number(value: object) -> object:
    """3.0 as 3: JSON Schema counts a number without a fraction as an integer; `true` stays refused."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _numeric_field(numeric_range: NumericRange) -> tuple[Any, Any]:
    if numeric_range.integer:
        whole = Annotated[int, BeforeValidator(_whole_number)]
        return whole, Field(ge=int(numeric_range.minimum), le=int(numeric_range.maximum))
    return float, Field(ge=numeric_range.minimum, le=numeric_range.maximum, allow_inf_nan=False)


def request_model(schema: DataSchema) -> type[PredictRequest]:
    """The request body whose rows hold exactly the features `schema` describes, within its limits."""
    fields: dict[str, Any] = {name: _numeric_field(limits) for name, limits in schema.numeric.items()}
    fields.update(
        # A closed list: an unknown category is refused with the allowed ones named, not scored.
        {name: (cast(Any, Literal)[values], ...) for name, values in schema.categorical.items()}
    )
    row = create_model("FeatureRow", __base__=FeatureRow, **fields)
    rows = Field(min_length=1, max_length=MAX_ROWS_PER_REQUEST)
    return create_model("PredictRequest", __base__=PredictRequest, rows=(list[row], rows))  # type: ignore[valid-type]
