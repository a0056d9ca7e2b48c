"""Use cases about the questionnaire itself."""

from __future__ import annotations

from pathlib import Path


def show_instrument(
    *, workspace: Path | str | None = None, language: str = "en"
) -> list[dict[str, object]]:
    """Every item of the instrument (with the workspace's own attributes, if one is given)."""
    if workspace is not None:
        from outsidein.services.assessment import workspace_instrument
        from outsidein.services.workspace import open_workspace

        instrument = workspace_instrument(open_workspace(workspace))
    else:
        from outsidein.instruments import load_instrument

        instrument = load_instrument()
    return [item.to_dict(language) for item in instrument.items]
