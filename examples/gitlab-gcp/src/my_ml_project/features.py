"""Feature engineering, fitted as part of the model so that training and serving never diverge."""

from __future__ import annotations

from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from .data_schema import FeaturesConfig

__all__ = ["FeaturesConfig", "build_preprocessor"]


def build_preprocessor(features: FeaturesConfig) -> ColumnTransformer:
    """Scale numeric columns; one-hot encode categorical ones, ignoring unseen categories.

    The output is a dense matrix, which every framework's model accepts.
    """
    return ColumnTransformer(
        transformers=[
            ("numeric", StandardScaler(), list(features.numeric)),
            (
                "categorical",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                list(features.categorical),
            ),
        ],
        remainder="drop",
        sparse_threshold=0.0,
        verbose_feature_names_out=False,
    )
