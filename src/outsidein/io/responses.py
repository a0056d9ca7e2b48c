"""Read staff survey responses from CSV or XLSX and validate every cell.

One row per respondent: ``respondent_id``, ``role`` (manager/operational), ``department``, then
one column per item id. An empty cell is a missing answer. Every problem in the file is
collected (file, row, column, reason) before :class:`ImportRejected` is raised, so nothing is
stored from a file that has any problem.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from outsidein.core.instrument import Instrument, Role
from outsidein.io.problems import Problem, reject_if_any
from outsidein.io.survey_exports import csv_delimiter, cut_records
from outsidein.io.text import decode_text, reject_file

REQUIRED = ("respondent_id", "role", "department")
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
ROLE_VALUES = {r.value for r in Role}


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseRow:
    respondent_id: str
    role: str
    department: str
    answers: dict[str, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseFile:
    """A validated file: respondents with their answers, ready to be stored."""

    name: str
    rows: tuple[ResponseRow, ...]
    item_columns: tuple[str, ...]

    def to_frame(self) -> pl.DataFrame:
        base = {
            "respondent_id": [r.respondent_id for r in self.rows],
            "role": [r.role for r in self.rows],
            "department": [r.department for r in self.rows],
        }
        items = {
            item: [float(r.answers[item]) if item in r.answers else None for r in self.rows]
            for item in self.item_columns
        }
        return pl.DataFrame({**base, **items}, schema_overrides=dict.fromkeys(items, pl.Float64))


def _csv_rows(text: str) -> Iterator[list[str]]:
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in row]
    finally:
        workbook.close()


def _rows(path: Path, name: str, max_bytes: int) -> list[list[str]]:
    if not path.is_file():
        reject_file(name, "no such file")
    size = path.stat().st_size
    if size == 0:
        reject_file(name, "the file is empty")
    if size > max_bytes:
        reject_file(
            name,
            f"the file is {size / 1e6:.0f} MB, above the limit of {max_bytes / 1e6:.0f} MB; "
            "split it into several files",
        )
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            return list(_xlsx_rows(path))
        except Exception as exc:  # openpyxl raises many types for a broken workbook
            reject_file(name, f"not a readable XLSX workbook: {exc}")
    if suffix not in (".csv", ".txt", ".tsv"):
        reject_file(name, f"unsupported file type {suffix!r}: use CSV or XLSX")
    text = decode_text(path.read_bytes(), name)
    try:
        return list(_csv_rows(text))
    except csv.Error as exc:
        reject_file(name, f"not valid CSV: {exc}")


def _check_header(
    header: Sequence[str], instrument: Instrument, name: str
) -> tuple[list[Problem], dict[str, int]]:
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    known = set(instrument.item_ids)
    for index, raw in enumerate(header):
        column = raw.strip()
        if not column:
            if any(h.strip() for h in header[index + 1 :]):  # Excel's trailing blanks pass
                problems.append(
                    Problem(file=name, row=1, column=f"#{index + 1}", reason="empty column name")
                )
            continue
        if column in positions:
            problems.append(Problem(file=name, row=1, column=column, reason="duplicate column"))
            continue
        if column not in REQUIRED and column not in known:
            problems.append(
                Problem(
                    file=name,
                    row=1,
                    column=column,
                    reason="unknown item id (see `outsidein instrument show` for the item ids)",
                )
            )
        positions[column] = index
    for column in REQUIRED:
        if column not in positions:
            problems.append(
                Problem(file=name, row=1, column=column, reason="required column missing")
            )
    return problems, positions


def read_responses(
    path: Path | str, instrument: Instrument, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ResponseFile:
    """Read and validate a responses file; raise ImportRejected listing every problem."""
    file_path = Path(path)
    name = file_path.name
    rows = _rows(file_path, name, max_bytes)
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        reject_file(name, "the file is empty")
    problems, positions = _check_header(rows[0], instrument, name)
    if len(rows) == 1:
        problems.append(
            Problem(file=name, row=2, reason="no respondents: the file has only a header")
        )
    reject_if_any(problems)
    # a CSV record cut in two by a line break is refused; a workbook row may end early
    whole_rows = file_path.suffix.lower() not in (".xlsx", ".xlsm")
    cut = cut_records(rows[0], rows[1:]) if whole_rows else {}
    items = {column: instrument.item(column) for column in positions if column not in REQUIRED}
    seen: dict[str, int] = {}
    parsed: list[ResponseRow] = []
    for offset, raw in enumerate(rows[1:]):
        row_number = offset + 2
        if not any(cell.strip() for cell in raw):
            continue  # a blank row holds no answers (as the customer importers read it)
        if len(raw) > len(rows[0]) and any(cell.strip() for cell in raw[len(rows[0]) :]):
            problems.append(
                Problem(
                    file=name,
                    row=row_number,
                    reason=f"{len(raw)} cells but the header has {len(rows[0])}",
                )
            )
        elif offset in cut:
            problems.append(Problem(file=name, row=row_number, reason=cut[offset]))

        def cell(column: str, raw: list[str] = raw) -> str:
            position = positions[column]
            return raw[position].strip() if position < len(raw) else ""

        respondent = cell("respondent_id")
        role = cell("role").lower()
        department = cell("department")
        if not respondent:
            problems.append(
                Problem(
                    file=name, row=row_number, column="respondent_id", reason="empty respondent_id"
                )
            )
        elif respondent in seen:
            problems.append(
                Problem(
                    file=name,
                    row=row_number,
                    column="respondent_id",
                    reason=f"duplicate respondent {respondent!r} (first on row {seen[respondent]})",
                )
            )
        else:
            seen[respondent] = row_number
        if role not in ROLE_VALUES:
            problems.append(
                Problem(
                    file=name,
                    row=row_number,
                    column="role",
                    reason=f"role {cell('role')!r} is not one of manager, operational",
                )
            )
        if not department:
            problems.append(
                Problem(file=name, row=row_number, column="department", reason="empty department")
            )
        answers: dict[str, int] = {}
        for column, item in items.items():
            text = cell(column)
            if not text:
                continue
            try:
                number = float(text.replace(",", "."))
            except ValueError:
                problems.append(
                    Problem(
                        file=name, row=row_number, column=column, reason=f"{text!r} is not a number"
                    )
                )
                continue
            if not number.is_integer():
                problems.append(
                    Problem(
                        file=name,
                        row=row_number,
                        column=column,
                        reason=f"{text!r} is not a whole number",
                    )
                )
                continue
            if not item.scale_min <= number <= item.scale_max:
                problems.append(
                    Problem(
                        file=name,
                        row=row_number,
                        column=column,
                        reason=f"{text} is outside the scale {item.scale_min}–{item.scale_max}",
                    )
                )
                continue
            if role in ROLE_VALUES and Role(role) not in item.roles:
                problems.append(
                    Problem(
                        file=name,
                        row=row_number,
                        column=column,
                        reason=f"item {column!r} is not asked of {role} respondents",
                    )
                )
                continue
            answers[column] = int(number)
        parsed.append(
            ResponseRow(respondent_id=respondent, role=role, department=department, answers=answers)
        )
    reject_if_any(problems)
    return ResponseFile(name=name, rows=tuple(parsed), item_columns=tuple(items))
