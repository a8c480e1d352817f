"""Online serving: a FastAPI app that scores rows with the trained model.

`make serve` runs it with uvicorn; the container image's `serve` target does the same.
"""

from .app import create_app

__all__ = ["create_app"]
