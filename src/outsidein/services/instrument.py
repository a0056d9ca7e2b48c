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


def set_quality_attributes(workspace: Path | str, path: Path | str) -> int:
    """Replace the firm's quality attributes with those in a YAML file; returns how many.

    The belief items (importance and performance per attribute) follow the new set.
    """
    import yaml

    from outsidein.instruments import InstrumentError, parse_attributes
    from outsidein.services.workspace import open_workspace

    ws = open_workspace(workspace)
    from outsidein.store import queries

    source = Path(path)
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InstrumentError(f"{source.name}: cannot be read as YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise InstrumentError(f"{source.name}: expected a mapping with an 'attributes' list")
    attributes = parse_attributes(raw, source=source.name)
    queries.replace_quality_attributes(ws.alias, ws.organisation, attributes)
    return len(attributes)


ATTRIBUTES_HEADER = """\
# Quality attributes of {firm}, as `outsidein attributes FILE` reads them back.
# dimension: technical (what the customer gets), functional (how it is delivered) or image.
# examples: phrases that speak of the attribute; praise / complaints: what pleased and
# displeased customers say. All seed the text engine's tagging; praise and complaints also
# teach its polarity. Texts and phrases are given per language.
"""


def export_quality_attributes(workspace: Path | str, path: Path | str) -> tuple[int, bool]:
    """Write the firm's quality attributes (the shipped defaults when it has none of its own)
    to a YAML file that ``set_quality_attributes`` reads back; returns how many, and whether
    they were the defaults. A starting point for a firm's own ``attrs.yaml``."""
    import yaml

    from outsidein.instruments import default_attributes
    from outsidein.services.workspace import open_workspace

    ws = open_workspace(workspace)  # configures the database first
    from outsidein.store import queries

    own = queries.quality_attributes(ws.alias, ws.organisation)
    attributes = own or default_attributes()
    document = {"version": 1, "attributes": [attribute.to_dict() for attribute in attributes]}
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    Path(path).write_text(ATTRIBUTES_HEADER.format(firm=ws.organisation) + text, encoding="utf-8")
    return len(attributes), not own


def set_own_items(workspace: Path | str, path: Path | str) -> int:
    """Replace the firm's own items with those in a YAML file (``items: [...]``); how many.

    Items use the schema of the packaged instrument (``id``, ``question`` P/Q, ``aspect``
    U/M/O, ``roles``, ``side`` for U items, ``reverse``, ``text`` per language); readiness
    items join their aspect's scale. Ids must not clash with the shipped items.
    """
    import yaml

    from outsidein.instruments import InstrumentError, load_instrument, parse_items
    from outsidein.services.workspace import open_workspace

    ws = open_workspace(workspace)
    from outsidein.store import queries

    source = Path(path)
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InstrumentError(f"{source.name}: cannot be read as YAML: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("items"), list):
        raise InstrumentError(f"{source.name}: expected a mapping with an 'items' list")
    definitions = [dict(entry) for entry in raw["items"] if isinstance(entry, dict)]
    items = parse_items(definitions, source=source.name)
    load_instrument(extra_items=items)  # raises on an id that clashes with a shipped item
    queries.replace_custom_items(ws.alias, ws.organisation, definitions)
    return len(items)
