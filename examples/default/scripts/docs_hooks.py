"""ProperDocs hooks of the docs site (mkdocs.yml `hooks:`).

The model card is written by the pipeline's evaluate stage into the path `paths.model_card` of
params.yaml, outside `docs/`; its page shows that file, so the site never holds a stale copy.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from properdocs.config.defaults import ProperDocsConfig
from properdocs.structure.files import Files
from properdocs.structure.pages import Page

MODEL_CARD_PAGE = "model-card.md"


def model_card_path(project_root: Path) -> Path:
    """Where the pipeline writes the model card, from params.yaml."""
    params = yaml.safe_load((project_root / "params.yaml").read_text(encoding="utf-8"))
    return project_root / str(params["paths"]["model_card"])


def on_page_markdown(markdown: str, /, *, page: Page, config: ProperDocsConfig, files: Files) -> str:
    """The model card page: the card itself once the pipeline wrote it, else the page's own text
    (which says how to make it)."""
    if page.file.src_uri != MODEL_CARD_PAGE:
        return markdown
    card = model_card_path(Path(config.config_file_path).parent)
    return card.read_text(encoding="utf-8") if card.is_file() else markdown
