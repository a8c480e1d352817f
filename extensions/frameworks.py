"""The model's frameworks: pinned release, supported Pythons, MLflow flavour, serving format.

The model's frameworks: the release each is pinned to, the Python versions it supports, how
MLflow logs it and how it is served; the records are choices/ml_framework/<value>.yml."""

from __future__ import annotations

from dataclasses import dataclass

from . import data

# What the serving app loads: an ONNX export run by onnxruntime (no framework in the image), or
# the framework's own model behind the preprocessor.
SERVING_FORMATS = ("onnx", "native")


@dataclass(frozen=True)
class Memory:
    """Memory of one serving pod (Kubernetes quantities)."""

    request: str
    limit: str


@dataclass(frozen=True)
class FrameworkFacts:
    """What the templates read of an ml_framework choice: the context's `framework`."""

    # Its name in the docs and the model card.
    label: str
    # The MLflow flavour (module `mlflow.<flavour>`) its model.py logs and loads the model with.
    flavour: str
    # What the serving app loads (SERVING_FORMATS).
    serving_format: str
    # The framework's own libraries, slow to import: the project's tests import them before
    # coverage starts tracing (tests/__init__.py).
    libraries: tuple[str, ...]


@dataclass(frozen=True)
class Framework(FrameworkFacts):
    """What the template needs to know about one ml_framework choice."""

    # The release line dependencies.yml pins it to.
    release: str
    # The Python versions that release ships wheels for: the ml_framework question refuses the
    # others at the prompt (filters.framework_python_problem).
    python: tuple[str, ...]
    # Memory of one serving pod, which the framework's libraries set (the context's `k8s_memory`).
    k8s_memory: Memory

    def __post_init__(self) -> None:
        # Templates test the format against these values: another one would render the text of
        # neither, so it fails here, when the record is read.
        if self.serving_format not in SERVING_FORMATS:
            raise ValueError(
                f"serving_format {self.serving_format!r} is none of {', '.join(SERVING_FORMATS)}"
            )


FRAMEWORKS = data.records("ml_framework", Framework)
