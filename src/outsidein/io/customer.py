"""Customer evidence: the column mapping, the checks every cell passes, and customer surveys.

Two kinds of customer evidence (DESIGN §1.3) are read from any file
:mod:`outsidein.io.survey_exports` reads (CSV, XLSX, JSONL, Parquet, Qualtrics, LimeSurvey,
Google Forms): **feedback** (:mod:`outsidein.io.feedback`) and **customer surveys** (here), one
customer per row: a rating per quality attribute, optionally the stated importance of each,
overall satisfaction, likelihood to recommend (NPS, 0–10) and CSAT. Canonical survey frame:
``customer_id``, ``date`` (UTC), ``segment``, one Float64 column per attribute id,
``importance__<attribute>``, ``overall``, ``nps``, ``csat``, ``source_row`` (the row a person
sees the answer on).

Columns are named by arguments or by a mapping file (:func:`read_mapping`); arguments win over
the file, the file over what the export says (Qualtrics ``ResponseId``/``RecordedDate``, ...).
Validation is all or nothing: every bad cell is named with file, row (as a person sees it: a
Qualtrics export's first answer is row 4) and column, and :class:`ImportRejected` is raised.

Choices, for both kinds:

- **Dates** are stored in UTC. A value with an offset (``+02:00``, ``Z``, ``GMT+2``) is converted;
  one without is local time in ``timezone`` (an IANA name): the argument, else the mapping file,
  else the zone a Qualtrics export states for the column, else UTC. A local time the clocks skip
  (spring forward) is rejected; one that happens twice (fall back) is taken as the earlier
  instant and counted in ``ambiguous_times`` — comments and answers are read by day, where that
  hour does not matter. ISO dates, ``2024/01/15``, ``15.1.2024`` and slashed dates are read;
  whether ``03/04/2024`` is day- or month-first is decided from the column (``25/04/2024``
  settles it); when nothing settles it the file is rejected unless ``date_format`` (strftime)
  is given. An empty date cell is a missing date.
- **Numbers** may use a decimal comma; a label that starts with its number (``10 - Extremely
  likely``) is read as the number; ``values`` maps other labels (``Don't know: null``). Ratings
  must lie on their declared scale; NPS and CSAT must be whole numbers.
- **Unfinished** responses (Qualtrics ``Finished`` false, LimeSurvey without ``submitdate``) are
  skipped unless ``keep_unfinished``; Qualtrics previews, tests and spam always are. Blank rows
  are skipped. All skips are counted in ``skipped``.
- **Ids** must be unique within the file; without an id column each row gets
  ``<first 12 hex of the file's sha256>:<row>``, stable for the same file.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import polars as pl
import yaml

from outsidein.core.attributes import attribute_id_problem
from outsidein.io.imported import ImportedTable
from outsidein.io.problems import ImportRejected, Problem
from outsidein.io.survey_exports import (
    DEFAULT_MAX_BYTES,
    SOURCE_FORMATS,
    DateColumn,
    ProblemLog,
    RawTable,
    SourceFormat,
    cell_number,
    cell_text,
    is_empty,
    read_table,
    shown,
)

Scale = tuple[float, float]
EmptyText = Literal["reject", "skip"]
EvidenceKind = Literal["feedback", "customer_survey"]

IMPORTANCE_PREFIX = "importance__"
SURVEY_BASE_SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.String(),
    "date": pl.Datetime("us", "UTC"),
    "segment": pl.String(),
}
SURVEY_SCORES = ("overall", "nps", "csat")
NPS_SCALE: Scale = (0, 10)
DEFAULT_FEEDBACK_SCALE: Scale = (1, 5)
DEFAULT_SURVEY_SCALE: Scale = (1, 7)
DEFAULT_CSAT_SCALE: Scale = (1, 5)
FEEDBACK_COLUMNS = ("text", "rating", "date", "segment", "id")
SURVEY_COLUMNS = ("overall", "nps", "csat", "segment", "date", "id")
_RESERVED = {*SURVEY_BASE_SCHEMA, *SURVEY_SCORES, "source_row", "dataset_id"}
_SCALE_KEYS = {
    "feedback": ("rating_scale",),
    "customer_survey": ("rating_scale", "importance_scale", "overall_scale", "csat_scale"),
}
_Complaint = Callable[[str, str], None]
_MAPPING_KEYS = {
    "format",
    "timezone",
    "date_format",
    "columns",
    "values",
    "keep_unfinished",
}


# --- the mapping file ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnMapping:
    """What a mapping file says; anything it leaves out comes from arguments or the export.

    Example (``mapping.yaml``)::

        format: qualtrics
        timezone: Europe/Helsinki
        columns: {overall: Q1, nps: Q9, segment: Q7}
        attributes: {reliability: Q3_1, courtesy: Q3_2}
        importance: {reliability: Q4_1, courtesy: Q4_2}
        rating_scale: [1, 5]
        values: {"Don't know": null}
    """

    source: str
    format: SourceFormat | None = None
    timezone: str | None = None
    date_format: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    importance: dict[str, str] = field(default_factory=dict)
    scales: dict[str, Scale] = field(default_factory=dict)
    values: dict[str, float | None] = field(default_factory=dict)
    empty_text: EmptyText | None = None
    keep_unfinished: bool | None = None


def read_mapping(
    source: Path | str | Mapping[str, Any] | None, *, kind: EvidenceKind
) -> ColumnMapping:
    """Read a mapping file (YAML) or dict for ``kind``; raise ImportRejected naming bad keys.

    ``None`` gives an empty mapping (everything from arguments and the export).
    """
    if source is None:
        return ColumnMapping(source="mapping")
    if isinstance(source, Mapping):
        name, raw = "mapping", source
    else:
        path = Path(source)
        name = path.name
        raw = _mapping_yaml(path)
    problems: list[Problem] = []

    def bad(key: str, reason: str) -> None:
        problems.append(Problem(file=name, column=key, reason=reason))

    allowed = _MAPPING_KEYS | set(_SCALE_KEYS[kind])
    allowed |= {"attributes", "importance"} if kind == "customer_survey" else {"empty_text"}
    for key in raw:
        if key not in allowed:
            bad(
                str(key),
                f"unknown key; a {kind.replace('_', ' ')} mapping has {', '.join(sorted(allowed))}",
            )
    fmt = raw.get("format")
    if fmt is not None and fmt not in SOURCE_FORMATS:
        bad("format", f"{fmt!r} is not one of {', '.join(SOURCE_FORMATS)}")
    names = FEEDBACK_COLUMNS if kind == "feedback" else SURVEY_COLUMNS
    columns = _string_map(raw.get("columns"), "columns", bad)
    for key in columns:
        if key not in names:
            bad(f"columns.{key}", f"unknown column role; use {', '.join(names)}")
    scales: dict[str, Scale] = {}
    for key in _SCALE_KEYS[kind]:
        if key in raw:
            scale = _scale(raw[key], key, bad)
            if scale is not None:
                scales[key] = scale
    empty = raw.get("empty_text")
    if empty is not None and empty not in ("reject", "skip"):
        bad("empty_text", "use reject or skip")
    keep = raw.get("keep_unfinished")
    if keep is not None and not isinstance(keep, bool):
        bad("keep_unfinished", "use true or false")
    for key in ("timezone", "date_format"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            bad(key, "must be text")
    spec = ColumnMapping(
        source=name,
        format=fmt if fmt in SOURCE_FORMATS else None,
        timezone=raw.get("timezone") if isinstance(raw.get("timezone"), str) else None,
        date_format=raw.get("date_format") if isinstance(raw.get("date_format"), str) else None,
        columns={k: v for k, v in columns.items() if k in names},
        attributes=_string_map(raw.get("attributes"), "attributes", bad),
        importance=_string_map(raw.get("importance"), "importance", bad),
        scales=scales,
        values=_values(raw.get("values"), bad),
        empty_text=empty if empty in ("reject", "skip") else None,
        keep_unfinished=keep if isinstance(keep, bool) else None,
    )
    if problems:
        raise ImportRejected(problems)
    return spec


def _mapping_yaml(path: Path) -> Mapping[str, Any]:
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImportRejected([Problem(file=name, reason=f"cannot read: {exc.strerror}")]) from exc
    except UnicodeDecodeError as exc:
        raise ImportRejected([Problem(file=name, reason="not UTF-8 text")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = None if mark is None else mark.line + 1
        raise ImportRejected(
            [Problem(file=name, row=row, reason=f"not valid YAML: {exc}")]
        ) from exc
    if not isinstance(raw, dict):
        raise ImportRejected([Problem(file=name, reason="expected a mapping of keys to values")])
    return raw


def _string_map(value: object, key: str, bad: _Complaint) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        bad(key, "expected a mapping of names to columns")
        return {}
    out: dict[str, str] = {}
    for name, column in value.items():
        if not isinstance(column, str | int) or isinstance(column, bool) or not str(column):
            bad(f"{key}.{name}", "expected a column name")
            continue
        out[str(name)] = str(column)
    return out


def _scale(value: object, key: str, bad: _Complaint) -> Scale | None:
    if (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        and value[0] < value[1]
    ):
        return (float(value[0]), float(value[1]))
    bad(key, "expected [low, high] with low below high")
    return None


def _values(value: object, bad: _Complaint) -> dict[str, float | None]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        bad("values", "expected a mapping of labels to numbers (or null)")
        return {}
    out: dict[str, float | None] = {}
    for label, number in value.items():
        if number is not None and (not isinstance(number, int | float) or isinstance(number, bool)):
            bad(f"values.{label}", "expected a number or null")
            continue
        out[str(label).strip().casefold()] = None if number is None else float(number)
    return out


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerSurveyImport(ImportedTable):
    """A validated customer-survey file: the canonical frame and what the import did."""

    columns: dict[str, str]
    attributes: dict[str, str]
    importance: dict[str, str]
    scales: dict[str, Scale]

    def details(self) -> dict[str, object]:
        return {
            "columns": dict(self.columns),
            "attributes": dict(self.attributes),
            "importance": dict(self.importance),
            "scales": {k: list(v) for k, v in self.scales.items()},
        }


# --- readers ---------------------------------------------------------------------------------


def read_customer_survey(
    path: Path | str,
    *,
    attributes: Mapping[str, str] | None = None,
    importance: Mapping[str, str] | None = None,
    overall: str | None = None,
    nps: str | None = None,
    csat: str | None = None,
    segment: str | None = None,
    date: str | None = None,
    id: str | None = None,
    format: SourceFormat | None = None,
    mapping: Path | str | Mapping[str, Any] | None = None,
    timezone: str | None = None,
    date_format: str | None = None,
    rating_scale: Scale | None = None,
    importance_scale: Scale | None = None,
    overall_scale: Scale | None = None,
    csat_scale: Scale | None = None,
    values: Mapping[str, float | None] | None = None,
    keep_unfinished: bool | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> CustomerSurveyImport:
    """Read and validate a customer-survey file; raise ImportRejected listing every bad cell.

    ``attributes`` maps attribute id → column of its rating (on ``rating_scale``, default 1–7);
    ``importance`` maps attribute id → column of its stated importance (``importance_scale``,
    default the rating scale). ``overall`` is on ``overall_scale`` (default the rating scale),
    ``nps`` on 0–10, ``csat`` on ``csat_scale`` (default 1–5).

    Example::

        imported = read_customer_survey(
            "limesurvey.csv", attributes={"reliability": "Q1[SQ001]"}, overall="Q2", nps="Q3")
    """
    spec = read_mapping(mapping, kind="customer_survey")
    asked: dict[str, str | None] = {
        "overall": overall,
        "nps": nps,
        "csat": csat,
        "segment": segment,
        "date": date,
        "id": id,
    }
    attribute_columns = dict(spec.attributes) | dict(attributes or {})
    importance_columns = dict(spec.importance) | dict(importance or {})
    rating = rating_scale or spec.scales.get("rating_scale") or DEFAULT_SURVEY_SCALE
    scales = {
        "rating_scale": rating,
        "importance_scale": importance_scale or spec.scales.get("importance_scale") or rating,
        "overall_scale": overall_scale or spec.scales.get("overall_scale") or rating,
        "csat_scale": csat_scale or spec.scales.get("csat_scale") or DEFAULT_CSAT_SCALE,
    }
    extra = {
        **{f"attribute:{a}": c for a, c in attribute_columns.items()},
        **{f"importance:{a}": c for a, c in importance_columns.items()},
    }
    setup = MappedTable.open(
        path,
        spec,
        asked | extra,
        format=format,
        timezone=timezone,
        date_format=date_format,
        values=values,
        keep_unfinished=keep_unfinished,
        scales=scales,
        max_bytes=max_bytes,
    )
    before = setup.problems.total
    _check_attributes(setup, attribute_columns, importance_columns, asked)
    setup.unmapped += setup.problems.total - before
    setup.stop_if_unmapped()
    data: dict[str, list[Any]] = {
        "customer_id": setup.ids(),
        "date": setup.dates(),
        "segment": setup.texts("segment", required=False),
    }
    for attribute in attribute_columns:
        data[attribute] = setup.numbers(f"attribute:{attribute}", rating, whole=False)
    for attribute in importance_columns:
        data[IMPORTANCE_PREFIX + attribute] = setup.numbers(
            f"importance:{attribute}", scales["importance_scale"], whole=False
        )
    scores = (
        ("overall", scales["overall_scale"], False),
        ("nps", NPS_SCALE, True),
        ("csat", scales["csat_scale"], True),
    )
    for canonical, scale, whole in scores:
        data[canonical] = (
            setup.numbers(canonical, scale, whole=whole)
            if canonical in setup.positions
            else [None] * len(setup.keep)
        )
    data["source_row"] = setup.source_rows()
    given = rating_scale or spec.scales.get("rating_scale")
    _refuse_assumed_scale(
        setup,
        data,
        {
            "rating_scale": (given, list(attribute_columns)),
            "importance_scale": (
                importance_scale or spec.scales.get("importance_scale") or given,
                [IMPORTANCE_PREFIX + a for a in importance_columns],
            ),
            "overall_scale": (
                overall_scale or spec.scales.get("overall_scale") or given,
                ["overall"] if "overall" in setup.positions else [],
            ),
        },
    )
    setup.problems.raise_if_any()
    schema = {
        **SURVEY_BASE_SCHEMA,
        **{name: pl.Float64() for name in data if name not in SURVEY_BASE_SCHEMA},
        "source_row": pl.Int64(),
    }
    in_use = {
        "rating_scale": bool(attribute_columns),
        "importance_scale": bool(importance_columns),
        "overall_scale": "overall" in setup.positions,
        "csat_scale": "csat" in setup.positions,
    }
    used_scales = {key: scales[key] for key, used in in_use.items() if used}
    if "nps" in setup.positions:
        used_scales["nps_scale"] = NPS_SCALE
    columns = setup.column_names()
    return CustomerSurveyImport(
        frame=pl.DataFrame(data, schema=schema),
        source=setup.table.file,
        format=setup.table.format,
        sha256=setup.table.sha256,
        columns={k: v for k, v in columns.items() if ":" not in k},
        attributes={a: columns[f"attribute:{a}"] for a in attribute_columns},
        importance={a: columns[f"importance:{a}"] for a in importance_columns},
        timezone=setup.zone_name if "date" in setup.positions else None,
        scales=used_scales,
        skipped=setup.skipped,
        generated_ids="id" not in setup.positions,
        ambiguous_times=setup.ambiguous_times,
    )


def _refuse_assumed_scale(
    setup: MappedTable,
    data: Mapping[str, list[float | None]],
    groups: Mapping[str, tuple[Scale | None, list[str]]],
) -> None:
    """A problem for each group of ratings read on the default 1–7 (no scale given) when none
    of the ratings so read is above 5: a survey on 1–5 read as 1–7 would put a unanimous top
    mark two thirds up the scale, and every gap against staff beliefs with it. Such a file says
    nothing of its scale, so the importer asks rather than guesses. The groups on the default
    answer for each other (importance and overall follow the ratings' scale): a 6 or 7
    anywhere among them, even one out of the scale, settles it."""
    high = DEFAULT_SURVEY_SCALE[1]
    assumed = {key: columns for key, (declared, columns) in groups.items() if declared is None}
    columns_read = [c for columns in assumed.values() for c in columns]
    written = [  # every number written, in the scale or not: an 8 says the scale is no 1-5
        number
        for c in columns_read
        for cell in setup.column(_canonical(c))[1]
        if (number := cell_number(cell, setup.values)[0]) is not None
    ]
    if not written or max(written) > 5:
        return
    for key, columns in assumed.items():
        values = [v for c in columns for v in data[c] if v is not None]
        if not values:
            continue
        names = [setup.column_names().get(_canonical(c), c) for c in columns]
        flag = "--" + key.replace("_", "-")
        also = "" if key == "rating_scale" else ", or --rating-scale, which sets it too"
        setup.problems.add(
            f"the {len(values)} ratings in {', '.join(names)} are read on 1–{high} when no "
            f"scale is given, but none is above 5: give the survey's scale ({flag} 1 5, or "
            f"{flag} 1 {high} if it was 1–{high}{also}; {key}: in a mapping file)"
        )


def _canonical(column: str) -> str:
    """The mapping key of a column of the canonical frame."""
    if column.startswith(IMPORTANCE_PREFIX):
        return "importance:" + column.removeprefix(IMPORTANCE_PREFIX)
    return column if column in SURVEY_SCORES else "attribute:" + column


def _check_attributes(
    setup: MappedTable,
    attributes: Mapping[str, str],
    importance: Mapping[str, str],
    asked: Mapping[str, str | None],
) -> None:
    problems = setup.problems
    for attribute in [*attributes, *(a for a in importance if a not in attributes)]:
        id_problem = attribute_id_problem(attribute)
        if id_problem is not None:
            problems.add(f"attribute {id_problem}", column=attribute)
        elif attribute in _RESERVED or attribute.startswith(IMPORTANCE_PREFIX):
            problems.add(
                f"{attribute!r} is a reserved column name, not an attribute id", column=attribute
            )
    for attribute, column in importance.items():
        if attribute not in attributes:
            problems.add(
                f"importance is mapped for attribute {attribute!r}, which has no rating column "
                "(add it to the attributes)",
                column=column,
            )
    if not attributes and not any(asked.get(k) or k in setup.positions for k in SURVEY_SCORES):
        problems.add(
            "nothing to import: map attribute ratings (attributes=...), overall, nps or csat",
            row=setup.table.header_row,
        )


# --- one read: the table, the mapped columns, the rows kept, the problems ------------------------


@dataclass(slots=True, kw_only=True)
class MappedTable:
    """One file read for one kind of evidence: which file column each canonical one is, the
    records kept (unfinished, test and, on request, empty-text rows dropped), and the problems
    found so far. Its methods turn a mapped column's kept cells into checked values."""

    table: RawTable
    positions: dict[str, int]
    keep: list[int]
    skipped: dict[str, int]
    zone: zoneinfo.ZoneInfo | None
    zone_name: str
    date_format: str | None
    values: dict[str, float | None]
    problems: ProblemLog
    unmapped: int = 0
    """Problems with the mapping itself: with any, the cells are not worth checking."""
    ambiguous_times: int = 0

    @classmethod
    def open(
        cls,
        path: Path | str,
        spec: ColumnMapping,
        asked: Mapping[str, str | None],
        *,
        format: SourceFormat | None,
        timezone: str | None,
        date_format: str | None,
        values: Mapping[str, float | None] | None,
        keep_unfinished: bool | None,
        scales: Mapping[str, Scale],
        max_bytes: int,
    ) -> MappedTable:
        name = Path(path).name
        fmt = format or spec.format
        _check_options(name, fmt, timezone or spec.timezone, scales)
        table = read_table(path, format=fmt, max_bytes=max_bytes)
        problems = ProblemLog(table.file)
        positions: dict[str, int] = {}
        wanted = {
            canonical: column or spec.columns.get(canonical) or table.defaults.get(canonical)
            for canonical, column in asked.items()
        }
        used: dict[int, str] = {}
        for canonical, column in wanted.items():
            if not column:
                continue
            found = table.locate(column)
            if isinstance(found, str):
                problems.add(
                    f"{found} (mapped to {_role(canonical)})", row=table.header_row, column=column
                )
                continue
            if found in used:
                problems.add(
                    f"column mapped twice: to {_role(used[found])} and to {_role(canonical)}",
                    row=table.header_row,
                    column=column,
                )
                continue
            used[found] = canonical
            positions[canonical] = found
        unmapped = problems.total
        problems.extend(table.problems)
        if not table.rows and not table.problems:
            problems.add(
                "no rows: the file has only its header",
                row=None if table.header_row is None else table.header_row + 1,
            )
        keep_partial = keep_unfinished if keep_unfinished is not None else spec.keep_unfinished
        keep: list[int] = []
        skipped = {"blank": table.blank_rows, "unfinished": 0, "test": 0}
        for index, reason in enumerate(table.excluded):
            if reason is None or (reason == "unfinished" and keep_partial):
                keep.append(index)
            else:
                skipped[reason] += 1
        stated = table.zones.get(table.header[positions["date"]]) if "date" in positions else None
        zone_name = timezone or spec.timezone or stated or "UTC"
        setup = cls(
            table=table,
            positions=positions,
            keep=keep,
            skipped=skipped,
            zone=None,
            zone_name=zone_name,
            date_format=date_format or spec.date_format,
            values=spec.values | {str(k).strip().casefold(): v for k, v in (values or {}).items()},
            problems=problems,
            unmapped=unmapped,
        )
        setup.zone = _zone(zone_name, problems)
        if table.rows and not keep and not problems.total:
            problems.add(
                "no responses left: every row is unfinished or a test "
                "(--keep-unfinished, keep_unfinished=True from Python, keeps unfinished ones)"
            )
        return setup

    def stop_if_unmapped(self) -> None:
        """Raise now if columns are missing or mapped wrongly (with what else was found)."""
        if self.unmapped:
            self.problems.raise_if_any()

    def column(self, canonical: str) -> tuple[str, list[object], list[int]]:
        """The file's name for ``canonical``, its kept cells and their rows."""
        position = self.positions[canonical]
        cells = self.table.values(position)
        rows = self.table.rows
        return (
            self.table.header[position] or f"#{position + 1}",
            [cells[i] for i in self.keep],
            [rows[i] for i in self.keep],
        )

    def column_names(self) -> dict[str, str]:
        return {c: self.table.header[p] for c, p in self.positions.items()}

    def source_rows(self) -> list[int]:
        return [self.table.rows[i] for i in self.keep]

    def drop_empty(self, canonical: str, reason: str) -> None:
        cells = self.table.values(self.positions[canonical])
        kept = [i for i in self.keep if not is_empty(cells[i])]
        self.skipped[reason] = len(self.keep) - len(kept)
        self.keep = kept

    def texts(self, canonical: str, *, required: bool) -> list[str | None]:
        if canonical not in self.positions:
            return [None] * len(self.keep)
        name, cells, rows = self.column(canonical)
        out: list[str | None] = []
        for cell, row in zip(cells, rows, strict=True):
            value, reason = cell_text(cell)
            if reason is None and value is None and required:
                reason = f"empty {canonical}"
            if reason is not None:
                self.problems.add(reason, row=row, column=name)
            out.append(value)
        return out

    def ids(self) -> list[str | None]:
        if "id" not in self.positions:
            prefix = self.table.sha256[:12]
            return [f"{prefix}:{row}" for row in self.source_rows()]
        name, cells, rows = self.column("id")
        seen: dict[str, int] = {}
        out: list[str | None] = []
        for cell, row in zip(cells, rows, strict=True):
            value, reason = cell_text(cell)
            if reason is None and value is None:
                reason = "empty id"
            elif value is not None and value in seen:
                reason = f"duplicate id {value!r} (first on row {seen[value]})"
            elif value is not None:
                seen[value] = row
            if reason is not None:
                self.problems.add(reason, row=row, column=name)
            out.append(value)
        return out

    def numbers(self, canonical: str, scale: Scale, *, whole: bool) -> list[float | None]:
        name, cells, rows = self.column(canonical)
        low, high = scale
        out: list[float | None] = []
        for cell, row in zip(cells, rows, strict=True):
            number, reason = cell_number(cell, self.values)
            if number is not None and reason is None:
                if whole and not number.is_integer():
                    reason = f"{shown(cell)} is not a whole number"
                elif not low <= number <= high:
                    reason = f"{shown(cell)} is outside the scale {_num(low)}–{_num(high)}"
            if reason is not None:
                self.problems.add(reason, row=row, column=name)
                number = None
            out.append(number)
        return out

    def dates(self) -> list[datetime | None]:
        if "date" not in self.positions or self.zone is None:
            return [None] * len(self.keep)
        name, cells, rows = self.column("date")
        reader = DateColumn(self.zone, self.zone_name, self.date_format)
        dates = reader.read(cells, rows, name, self.problems)
        self.ambiguous_times = reader.ambiguous
        return dates


def _role(canonical: str) -> str:
    kind, _, attribute = canonical.partition(":")
    return f"{kind} of {attribute!r}" if attribute else canonical


def _check_options(
    name: str, fmt: str | None, zone: str | None, scales: Mapping[str, Scale]
) -> None:
    problems: list[Problem] = []
    if fmt is not None and fmt not in SOURCE_FORMATS:
        problems.append(
            Problem(
                file=name, reason=f"unknown format {fmt!r}: use one of {', '.join(SOURCE_FORMATS)}"
            )
        )
    if zone is not None:
        check = ProblemLog(name)
        _zone(zone, check)
        problems.extend(check.listed)
    for key, (low, high) in scales.items():
        if not low < high:
            reason = f"{key} {low}–{high}: low must be below high"
            problems.append(Problem(file=name, reason=reason))
    if problems:
        raise ImportRejected(problems)


def _zone(name: str, problems: ProblemLog) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        problems.add(f"unknown time zone {name!r}: use an IANA name such as 'Europe/Helsinki'")
        return None


def _num(value: float) -> str:
    number = float(value)  # scales may be given as ints
    return str(int(number)) if number.is_integer() else str(number)
