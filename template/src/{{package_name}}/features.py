"""Feature engineering, fitted as part of the model so that training and serving never diverge."""

from __future__ import annotations

from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from .config import FeaturesConfig


def build_preprocessor(features: FeaturesConfig) -> ColumnTransformer:
    """Scale numeric columns; one-hot encode categorical ones, ignoring unseen categories."""
    return ColumnTransformer(
        transformers=[
            ("numeric", StandardScaler(), list(features.numeric)),
            ("categorical", OneHotEncoder(handle_unknown="ignore"), list(features.categorical)),
        ],
        remainder="drop",
        verbose_feature_names_out=False,
    )
