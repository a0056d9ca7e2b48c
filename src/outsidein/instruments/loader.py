"""Load the packaged instrument files into :class:`outsidein.core.instrument.Instrument`."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any, TypeVar, cast

import yaml

from outsidein.core.attributes import Dimension, QualityAttribute, attribute_id_problem
from outsidein.core.instrument import (
    LANGUAGES,
    Indicator,
    Instrument,
    Item,
    Role,
    Stage,
    Texts,
)

READINESS_FILE = "readiness-v1.yaml"
STAGES_FILE = "stages-v1.yaml"
BELIEFS_FILE = "beliefs-v1.yaml"
ATTRIBUTES_FILE = "attributes-default.yaml"


class InstrumentError(ValueError):
    """An instrument or attribute definition is malformed; the message says where."""


@cache
def _packaged(name: str) -> Mapping[str, Any]:
    text = resources.files("outsidein.instruments").joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise InstrumentError(f"{name}: expected a mapping at the top level")
    return data


def _texts(value: object, where: str, *, required: bool = True) -> Texts:
    if isinstance(value, str):
        return {"en": value}
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        return {str(k): str(v) for k, v in value.items()}
    if not required and value is None:
        return {}
    raise InstrumentError(f"{where}: expected a text or a mapping of language to text")


def _roles(value: object, where: str) -> tuple[Role, ...]:
    if value is None:
        return (Role.MANAGER, Role.OPERATIONAL)
    if not isinstance(value, list) or not value:
        raise InstrumentError(f"{where}: roles must be a non-empty list")
    try:
        return tuple(Role(str(v)) for v in value)
    except ValueError as exc:
        raise InstrumentError(f"{where}: roles must be manager and/or operational") from exc


_T = TypeVar("_T")


_NO_TEXTS: Texts = {}
_NO_PHRASES: dict[str, tuple[str, ...]] = {}
_NO_ROLES: tuple[Role, ...] = ()


class _Problems:
    """The problems of a definition file, each naming where it is; raised together, so that one
    round of editing mends them all."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)

    def check(self, parse: Callable[..., _T], fallback: _T, *args: Any, **kwargs: Any) -> _T:
        """``parse(*args, **kwargs)``, or ``fallback`` with its problem noted."""
        try:
            return parse(*args, **kwargs)
        except InstrumentError as exc:
            self.messages.append(str(exc))
            return fallback

    def raise_any(self) -> None:
        if self.messages:
            raise InstrumentError("\n".join(self.messages))


def _whole(value: object) -> int | None:
    """A whole number given as an int, an integral float or a numeric string (as YAML and the
    JSON of stored items may hold it); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        number = float(value) if isinstance(value, float | str) else math.nan
    except ValueError:
        return None
    return int(number) if math.isfinite(number) and number.is_integer() else None


def _scale(value: object, where: str) -> tuple[int, int]:
    if isinstance(value, Mapping):
        low, high = _whole(value.get("min")), _whole(value.get("max"))
        if low is not None and high is not None:
            if low >= high:
                raise InstrumentError(f"{where}: scale min must be below max")
            return low, high
    raise InstrumentError(f"{where}: scale must be a mapping of whole numbers min and max")


def parse_items(
    raw: Sequence[Mapping[str, Any]], *, source: str, scale: Mapping[str, Any] | None = None
) -> tuple[Item, ...]:
    """Items from their YAML form; a firm's own items use the same schema as the packaged ones.

    Every problem of every item is reported, in one :class:`InstrumentError`."""
    default_scale = scale or {"min": 1, "max": 7}
    problems = _Problems()
    items: list[Item] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw, start=1):
        where = f"{source}: item {index}"
        if not isinstance(entry, dict) or "id" not in entry:
            problems.add(f"{where}: every item needs an id")
            continue
        item_id = str(entry["id"])
        where = f"{source}: item {index} ({item_id!r})"
        before = len(problems.messages)
        if item_id in seen:
            problems.add(f"{where}: duplicate id {item_id!r}")
        seen.add(item_id)
        question = str(entry.get("question", "stage" if "stage" in entry else ""))
        if question not in ("P", "Q", "stage", "belief"):
            problems.add(f"{where}: question must be P, Q, stage or belief")
        aspect = str(entry.get("aspect", entry.get("stage", "")))
        if question in ("P", "Q") and aspect not in ("U", "M", "O"):
            problems.add(f"{where}: aspect must be U, M or O")
        side = entry.get("side")
        if side not in (None, "customer", "own"):
            problems.add(f"{where}: side must be customer or own")
        elif aspect == "U" and question in ("P", "Q") and side is None:
            problems.add(f"{where}: U items need a side (customer or own)")
        lo, hi = problems.check(_scale, (1, 7), entry.get("scale", default_scale), where)
        roles = problems.check(_roles, _NO_ROLES, entry.get("roles"), where)
        text = problems.check(_texts, _NO_TEXTS, entry.get("text"), f"{where}: text")
        if len(problems.messages) > before:
            continue
        items.append(
            Item(
                id=item_id,
                question=cast(Any, question),
                aspect=aspect,
                roles=roles,
                scale_min=lo,
                scale_max=hi,
                text=text,
                reverse=bool(entry.get("reverse", False)),
                side=cast(Any, side),
                pair=entry.get("pair"),
                attribute=entry.get("attribute"),
                step=entry.get("step"),
            )
        )
    problems.raise_any()
    return tuple(items)


def parse_attributes(raw: Mapping[str, Any], *, source: str) -> tuple[QualityAttribute, ...]:
    """Quality attributes from the YAML schema of ``attributes-default.yaml``.

    Every problem of every attribute is reported, in one :class:`InstrumentError`."""
    entries = raw.get("attributes")
    if not isinstance(entries, list) or not entries:
        raise InstrumentError(f"{source}: expected a non-empty list under 'attributes'")
    problems = _Problems()
    out: list[QualityAttribute] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        where = f"{source}: attribute {index}"
        if not isinstance(entry, dict):
            problems.add(f"{where}: expected a mapping of id, name, dimension, ...")
            continue
        before = len(problems.messages)
        attr_id = str(entry.get("id") or "")
        if not attr_id:
            problems.add(f"{where}: every attribute needs an id")
        else:
            where = f"{where} ({attr_id!r})"
            id_problem = attribute_id_problem(attr_id)
            if id_problem is not None:
                problems.add(f"{where}: {id_problem}")
            if attr_id in seen:
                problems.add(f"{where}: duplicate id {attr_id!r}")
            seen.add(attr_id)
        dimension_value = str(entry.get("dimension", ""))
        if dimension_value not in {d.value for d in Dimension}:
            problems.add(
                f"{where}: dimension must be technical, functional or image, "
                f"not {entry.get('dimension')!r}"
            )
        name = problems.check(
            _texts, _NO_TEXTS, entry.get("name", attr_id.replace("_", " ")), f"{where}: name"
        )
        if any(not text.strip() for text in name.values()):
            problems.add(f"{where}: name is empty")
        description = problems.check(
            _texts, _NO_TEXTS, entry.get("description"), f"{where}: description", required=False
        )
        phrases = {
            key: problems.check(_phrases, _NO_PHRASES, entry, key, where)
            for key in ("examples", "praise", "complaints")
        }
        if len(problems.messages) > before:
            continue
        out.append(
            QualityAttribute(
                id=attr_id,
                name=name,
                description=description,
                dimension=Dimension(dimension_value),
                examples=phrases["examples"],
                praise=phrases["praise"],
                complaints=phrases["complaints"],
            )
        )
    problems.raise_any()
    return tuple(out)


def _phrases(entry: Mapping[str, Any], key: str, where: str) -> dict[str, tuple[str, ...]]:
    """Phrases per language under ``key``: a list (English) or a map of language to list."""
    raw = entry.get(key) or {}
    if isinstance(raw, list):
        raw = {"en": raw}
    if not isinstance(raw, Mapping) or not all(
        isinstance(phrases, list) and all(isinstance(p, str) for p in phrases)
        for phrases in raw.values()
    ):
        raise InstrumentError(
            f"{where}: {key} must be a list of phrases or a map of language to such a list"
        )
    return {
        str(lang): tuple(p.strip() for p in phrases if p.strip()) for lang, phrases in raw.items()
    }


def default_attributes() -> tuple[QualityAttribute, ...]:
    """The attribute set shipped for firms that have not defined their own."""
    return parse_attributes(_packaged(ATTRIBUTES_FILE), source=ATTRIBUTES_FILE)


def _format_texts(template: Texts, names: Texts) -> Texts:
    return {
        lang: text.format(name=names.get(lang, names.get("en", "")))
        for lang, text in template.items()
    }


def belief_items(
    attributes: Iterable[QualityAttribute], journey_steps: Iterable[tuple[str, Texts]] = ()
) -> tuple[Item, ...]:
    """Expand the belief templates for the firm's attributes and journey steps."""
    spec = _packaged(BELIEFS_FILE)
    roles = _roles(spec.get("roles"), BELIEFS_FILE)
    items: list[Item] = []
    for attribute in attributes:
        for template in spec["attribute_items"]:
            items.append(
                Item(
                    id=str(template["id_template"]).format(attribute=attribute.id),
                    question="belief",
                    aspect=str(template["kind"]),
                    roles=roles,
                    scale_min=int(template["scale"]["min"]),
                    scale_max=int(template["scale"]["max"]),
                    text=_format_texts(_texts(template["text"], BELIEFS_FILE), attribute.name),
                    attribute=attribute.id,
                )
            )
    steps = list(journey_steps)
    for template in spec.get("journey_items", []):
        scale = template["scale"]
        if "id_template" in template:
            for step_id, step_name in steps:
                items.append(
                    Item(
                        id=str(template["id_template"]).format(step=step_id),
                        question="belief",
                        aspect="journey_" + str(template["kind"]),
                        roles=roles,
                        scale_min=int(scale["min"]),
                        scale_max=int(scale["max"]),
                        text=_format_texts(_texts(template["text"], BELIEFS_FILE), step_name),
                        step=step_id,
                    )
                )
        elif steps:
            items.append(
                Item(
                    id=str(template["id"]),
                    question="belief",
                    aspect="journey_" + str(template["kind"]),
                    roles=roles,
                    scale_min=int(scale["min"]),
                    scale_max=int(scale["max"]),
                    text=_texts(template["text"], BELIEFS_FILE),
                )
            )
    return tuple(items)


def _stages(spec: Mapping[str, Any]) -> tuple[Stage, ...]:
    return tuple(
        Stage(
            level=int(s["level"]),
            name=_texts(s["name"], STAGES_FILE),
            description=_texts(s["description"], STAGES_FILE),
            actions=_texts(s.get("actions", ""), STAGES_FILE),
        )
        for s in spec["stages"]
    )


def _indicators(spec: Mapping[str, Any]) -> tuple[Indicator, ...]:
    out = []
    for raw in spec["indicators"]:
        where = f"{STAGES_FILE}: indicator {raw.get('id')!r}"
        kind = raw.get("kind")
        if kind not in ("survey", "evidence"):
            raise InstrumentError(f"{where}: kind must be survey or evidence")
        out.append(
            Indicator(
                id=str(raw["id"]),
                stage=int(raw["stage"]),
                kind=kind,
                direction=raw.get("direction", "at_least"),
                threshold=float(raw["threshold"]),
                text=_texts(raw["text"], where),
                items=tuple(str(i) for i in raw.get("items", ())),
                roles=_roles(raw.get("roles"), where) if kind == "survey" else (),
                metric=raw.get("metric"),
            )
        )
    return tuple(out)


def load_instrument(
    *,
    attributes: Iterable[QualityAttribute] | None = None,
    journey_steps: Iterable[tuple[str, Texts]] = (),
    extra_items: Iterable[Item] = (),
) -> Instrument:
    """The full instrument: readiness items, stage items, and belief items for ``attributes``.

    ``attributes`` defaults to the shipped set; ``extra_items`` are the firm's own items.
    """
    readiness = _packaged(READINESS_FILE)
    stages = _packaged(STAGES_FILE)
    scale = readiness.get("scale", {"min": 1, "max": 7})
    readiness_items = parse_items(readiness["items"], source=READINESS_FILE, scale=scale)
    stage_items = parse_items(
        [{**i, "question": "stage", "aspect": str(i["stage"])} for i in stages["items"]],
        source=STAGES_FILE,
        scale=stages.get("scale", scale),
    )
    chosen = tuple(attributes) if attributes is not None else default_attributes()
    anchors = {
        lang: tuple(str(a) for a in scale.get("anchors", {}).get(lang, ())) for lang in LANGUAGES
    }
    version = "+".join(
        f"{spec['instrument']}-v{spec['version']}"
        for spec in (readiness, stages, _packaged(BELIEFS_FILE))
    )
    try:
        return Instrument(
            version=version,
            items=readiness_items
            + stage_items
            + belief_items(chosen, journey_steps)
            + tuple(extra_items),
            stages=_stages(stages),
            indicators=_indicators(stages),
            question_text={k: _texts(v, READINESS_FILE) for k, v in readiness["questions"].items()},
            aspect_text={k: _texts(v, READINESS_FILE) for k, v in readiness["aspects"].items()},
            failing_text={k: _texts(v, READINESS_FILE) for k, v in readiness["failing"].items()},
            aspect_actions={
                k: _texts(v, READINESS_FILE) for k, v in readiness.get("actions", {}).items()
            },
            anchors=anchors,
        )
    except ValueError as exc:
        raise InstrumentError(str(exc)) from exc
