"""Read the journey staff believe customers take from a YAML file into a :class:`JourneyModel`.

Format (every key but ``steps`` optional)::

    name: Compensation request
    partners: [Courier Co]            # names in served_by that are partners, not departments
    expected_completion_share: 0.8    # share of customers staff expect to finish (or "80%")
    steps:
      - register request              # a bare name is a step
      - step: check ticket
        served_by: Front office       # a department, a partner, or "customer" (alone)
        optional: true
        repeatable: false
        expected_share: 0.9           # share of customers staff expect to pass through it
        expected_duration: 2d 4h      # seconds, or w/d/h/m/s units
      - either:                       # exactly one of the alternatives
          - examine casually
          - [examine thoroughly, second opinion]   # an alternative may be a sequence
      - steps: [decide, reinitiate request]        # a block, e.g. a loop
        repeatable: true
        optional: true

Every problem is reported at once with the YAML line (``row``) and the path of the key
(``column``, e.g. ``steps[2].expected_duration``); nothing is returned unless all is well.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from outsidein.core.conformance import Element, JourneyModel, ModelStep, StepGroup
from outsidein.io.problems import ImportRejected, Problem, reject_if_any

_STEP_KEYS = {"step", "served_by", "optional", "repeatable", "expected_share", "expected_duration"}
_GROUP_KEYS = {"either", "steps", "optional", "repeatable"}
_TOP_KEYS = {"name", "partners", "expected_completion_share", "steps"}
_UNITS = {"w": 604_800, "d": 86_400, "h": 3_600, "m": 60, "min": 60, "s": 1}
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(w|d|h|min|m|s)\s*")


def read_journey_model(path: str | os.PathLike[str]) -> JourneyModel:
    """Load a journey model from a YAML file; raise :class:`ImportRejected` on any problem."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportRejected([Problem(file=source.name, reason=f"cannot read: {error}")]) from error
    return parse_journey_model(text, file=source.name, default_name=source.stem)


def parse_journey_model(
    text: str, *, file: str = "model.yaml", default_name: str = "journey"
) -> JourneyModel:
    """Parse the YAML text of a journey model (see the module docstring for the format)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ImportRejected(
            [
                Problem(
                    file=file,
                    row=None if mark is None else mark.line + 1,
                    reason=f"not valid YAML: {getattr(error, 'problem', None) or error}",
                )
            ]
        ) from error
    reader = _Reader(file)
    model = reader.model(root, default_name)
    reject_if_any(reader.problems)
    assert model is not None
    return model


class _Reader:
    """Walks the YAML node tree, building the model and collecting problems with lines."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self._constructor = yaml.constructor.SafeConstructor()

    def problem(self, node: Node | None, where: str | None, reason: str) -> None:
        row = None if node is None else node.start_mark.line + 1
        self.problems.append(Problem(file=self.file, row=row, column=where, reason=reason))

    def value(self, node: Node) -> object:
        return self._constructor.construct_object(node, deep=True)

    def model(self, root: Node | None, default_name: str) -> JourneyModel | None:
        if not isinstance(root, MappingNode):
            self.problem(root, None, "a journey model is a mapping with a 'steps' list")
            return None
        fields = self.mapping(root, "", _TOP_KEYS)
        name = default_name
        if "name" in fields:
            name = self.text(fields["name"], "name") or default_name
        partners: tuple[str, ...] = ()
        if "partners" in fields:
            partners = self.names(fields["partners"], "partners")
        share = None
        if "expected_completion_share" in fields:
            share = self.share(fields["expected_completion_share"], "expected_completion_share")
        if "steps" not in fields:
            self.problem(root, "steps", "the model has no 'steps' list")
            return None
        elements = self.sequence(fields["steps"], "steps")
        if not elements:
            return None
        return JourneyModel(
            name=name, elements=elements, partners=partners, expected_completion_share=share
        )

    def mapping(self, node: MappingNode, where: str, allowed: set[str]) -> dict[str, Node]:
        fields: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = str(self.value(key_node))
            if key not in allowed:
                self.problem(
                    key_node,
                    _join(where, key),
                    f"unknown key {key!r} (expected one of {', '.join(sorted(allowed))})",
                )
                continue
            fields[key] = value_node
        return fields

    def sequence(self, node: Node, where: str) -> tuple[Element, ...]:
        items = node.value if isinstance(node, SequenceNode) else None
        if not items:
            self.problem(node, where, "expected a non-empty list of steps")
            return ()
        elements = [self.element(item, f"{where}[{index}]") for index, item in enumerate(items)]
        return tuple(element for element in elements if element is not None)

    def element(self, node: Node, where: str) -> Element | None:
        if isinstance(node, ScalarNode):
            name = self.text(node, where)
            return ModelStep(activity=name) if name else None
        if isinstance(node, SequenceNode):
            path = self.sequence(node, where)
            return StepGroup(alternatives=(path,)) if path else None
        assert isinstance(node, MappingNode)
        keys = {str(self.value(key)) for key, _ in node.value}
        if "step" in keys:
            return self.step(self.mapping(node, where, _STEP_KEYS), where)
        if keys & {"either", "steps"}:
            return self.group(node, self.mapping(node, where, _GROUP_KEYS), where)
        self.problem(node, where, "a step needs 'step' (a name), 'either' or 'steps'")
        return None

    def step(self, fields: dict[str, Node], where: str) -> ModelStep | None:
        name = self.text(fields["step"], _join(where, "step"))
        served_by = None
        if "served_by" in fields:
            served_by = self.text(fields["served_by"], _join(where, "served_by"))
        share = duration = None
        if "expected_share" in fields:
            share = self.share(fields["expected_share"], _join(where, "expected_share"))
        if "expected_duration" in fields:
            duration = self.duration(fields["expected_duration"], _join(where, "expected_duration"))
        if not name:
            return None
        return ModelStep(
            activity=name,
            served_by=served_by or None,
            optional=self.flag(fields, "optional", where),
            repeatable=self.flag(fields, "repeatable", where),
            expected_share=share,
            expected_seconds=duration,
        )

    def group(self, node: Node, fields: dict[str, Node], where: str) -> StepGroup | None:
        if "either" in fields and "steps" in fields:
            self.problem(node, where, "use 'either' (alternatives) or 'steps' (a block), not both")
            return None
        if "steps" in fields:
            path = self.sequence(fields["steps"], _join(where, "steps"))
            alternatives: tuple[tuple[Element, ...], ...] = (path,) if path else ()
        else:
            options = fields["either"]
            items = options.value if isinstance(options, SequenceNode) else None
            if not items or len(items) < 2:
                self.problem(
                    options, _join(where, "either"), "'either' needs two or more alternatives"
                )
                return None
            alternatives = tuple(
                self.alternative(item, f"{_join(where, 'either')}[{index}]")
                for index, item in enumerate(items)
            )
            alternatives = tuple(path for path in alternatives if path)
            if len(alternatives) < len(items):
                return None
        if not alternatives:
            return None
        return StepGroup(
            alternatives=alternatives,
            optional=self.flag(fields, "optional", where),
            repeatable=self.flag(fields, "repeatable", where),
        )

    def alternative(self, node: Node, where: str) -> tuple[Element, ...]:
        if isinstance(node, SequenceNode):
            return self.sequence(node, where)
        element = self.element(node, where)
        return (element,) if element is not None else ()

    def text(self, node: Node, where: str) -> str:
        value = self.value(node) if isinstance(node, ScalarNode) else None
        if (
            not isinstance(value, str | int | float)
            or isinstance(value, bool)
            or not str(value).strip()
        ):
            self.problem(node, where, "expected a non-empty name")
            return ""
        return str(value).strip()

    def names(self, node: Node, where: str) -> tuple[str, ...]:
        if not isinstance(node, SequenceNode):
            self.problem(node, where, "expected a list of names")
            return ()
        return tuple(
            name
            for index, item in enumerate(node.value)
            if (name := self.text(item, f"{where}[{index}]"))
        )

    def flag(self, fields: dict[str, Node], key: str, where: str) -> bool:
        if key not in fields:
            return False
        value = self.value(fields[key])
        if not isinstance(value, bool):
            self.problem(fields[key], _join(where, key), "expected true or false")
            return False
        return value

    def share(self, node: Node, where: str) -> float | None:
        value = self.value(node)
        if isinstance(value, str) and value.strip().endswith("%"):
            with contextlib.suppress(ValueError):
                value = float(value.strip()[:-1]) / 100
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            self.problem(
                node, where, f"expected a share between 0 and 1 (or a percentage), not {value!r}"
            )
            return None
        return float(value)

    def duration(self, node: Node, where: str) -> float | None:
        value = self.value(node)
        seconds = parse_duration(value)
        if seconds is None:
            self.problem(
                node, where, f"expected a duration such as 3600, '90m', '2d 4h', not {value!r}"
            )
        return seconds


def parse_duration(value: object) -> float | None:
    """Seconds in ``value``: a non-negative number, or units w/d/h/m(in)/s such as ``'2d 4h'``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value >= 0 else None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().lower()
    total = 0.0
    position = 0
    while position < len(text):
        match = _DURATION.match(text, position)
        if match is None:
            return None
        total += float(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    return total


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
