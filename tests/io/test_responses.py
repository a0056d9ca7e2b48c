"""Bad responses files give a clear error naming row and column; good ones parse fully."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from outsidein.instruments import load_instrument
from outsidein.io.problems import ImportRejected
from outsidein.io.responses import read_responses

INSTRUMENT = load_instrument()
HEADER = "respondent_id,role,department,pu1_cust,pu1_own,pm3,po5\n"


def write(tmp_path: Path, text: str, name: str = "answers.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, **kwargs: int) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ImportRejected) as info:
        read_responses(path, INSTRUMENT, **kwargs)
    return [(p.row, p.column, p.reason) for p in info.value.problems]


def test_valid_file_parses_with_missing_answers(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "a1,manager,Sales,5,6,2,\nb2, Operational ,Ops,,7,3,4\n")
    parsed = read_responses(path, INSTRUMENT)
    assert [r.respondent_id for r in parsed.rows] == ["a1", "b2"]
    assert parsed.rows[0].answers == {"pu1_cust": 5, "pu1_own": 6, "pm3": 2}
    assert parsed.rows[1].role == "operational"
    assert parsed.rows[1].answers == {"pu1_own": 7, "pm3": 3, "po5": 4}
    frame = parsed.to_frame()
    assert frame.height == 2 and frame["pu1_cust"].null_count() == 1


def test_csv_records_cut_by_a_line_break_are_refused(tmp_path: Path) -> None:
    # an unquoted department name with a line break: two pieces whose cells make one record
    text = HEADER + "a1,manager,Sales,5,6,2,\nb2,operational,Ops and\nlogistics,5,6,2,4\n"
    found = problems(write(tmp_path, text))
    hint = "a line break inside an unquoted cell seems to cut a record in two"
    assert [(row, reason.split(": ")[0]) for row, _, reason in found if hint in reason] == [
        (3, "3 cells but the header has 7"),
        (4, "5 cells but the header has 7"),
    ]
    # a row that just ends early (its empty cells left out) is read, its answers missing
    short = HEADER + "a1,manager,Sales,5,6,2,\nb2,operational,Ops,5\n"
    parsed = read_responses(write(tmp_path, short, "short.csv"), INSTRUMENT)
    assert parsed.rows[1].answers == {"pu1_cust": 5}


def test_semicolon_csv_with_bom_and_decimal_comma(tmp_path: Path) -> None:
    text = "\ufeffrespondent_id;role;department;pu1_cust\nx;manager;Myynti;5,0\n"
    parsed = read_responses(write(tmp_path, text), INSTRUMENT)
    assert parsed.rows[0].answers == {"pu1_cust": 5}
    assert parsed.rows[0].department == "Myynti"


def test_every_bad_cell_is_named(tmp_path: Path) -> None:
    text = HEADER + (
        "a1,boss,Sales,5,6,2,\n"  # wrong role
        "a2,manager,Sales,9,6,2,\n"  # out of range
        "a3,manager,,5,x,2,\n"  # empty department, not a number
        "a1,operational,Ops,5,6,2.5,\n"  # duplicate respondent, not whole
        "a5,manager,Sales,5,6,2,4\n"  # po5 is asked of operational staff only
    )
    found = problems(write(tmp_path, text))
    assert (2, "role", "role 'boss' is not one of manager, operational") in found
    assert (3, "pu1_cust", "9 is outside the scale 1–7") in found
    assert (4, "department", "empty department") in found
    assert (4, "pu1_own", "'x' is not a number") in found
    assert (5, "respondent_id", "duplicate respondent 'a1' (first on row 2)") in found
    assert (5, "pm3", "'2.5' is not a whole number") in found
    assert (6, "po5", "item 'po5' is not asked of manager respondents") in found
    assert len(found) == 7


def test_unknown_item_column(tmp_path: Path) -> None:
    found = problems(
        write(tmp_path, "respondent_id,role,department,pu1_cust,q99\nz,manager,S,5,4\n")
    )
    assert found == [
        (1, "q99", "unknown item id (see `outsidein instrument show` for the item ids)")
    ]


def test_missing_required_column(tmp_path: Path) -> None:
    found = problems(write(tmp_path, "respondent_id,department,pu1_cust\nz,S,5\n"))
    assert found == [(1, "role", "required column missing")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        (HEADER, "no respondents: the file has only a header"),
    ],
)
def test_empty_files(tmp_path: Path, content: str, reason: str) -> None:
    found = problems(write(tmp_path, content))
    assert [r for _, _, r in found] == [reason]


def test_non_utf8_file_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "a1,manager,Sales,5,6,2,\na2,manager,Süd,5,6,2,\n").encode("latin-1")
    )
    found = problems(path)
    assert len(found) == 1
    row, _, reason = found[0]
    assert row == 3
    assert "not UTF-8" in reason


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "a1,manager,Sales,5,6,2,\n" * 2000)
    found = problems(path, max_bytes=10_000)
    assert len(found) == 1 and "above the limit" in found[0][2]


def test_many_problems_are_capped_but_counted(tmp_path: Path) -> None:
    rows = "".join(f"r{i},manager,Sales,99,6,2,\n" for i in range(500))
    with pytest.raises(ImportRejected) as info:
        read_responses(write(tmp_path, HEADER + rows), INSTRUMENT)
    assert info.value.total == 500
    assert len(info.value.problems) == 200
    assert "and 300 more" in str(info.value)


def test_large_valid_file_parses(tmp_path: Path) -> None:
    header = "respondent_id,role,department,pu1_cust,pu1_own,pm3\n"
    rows = "".join(
        f"r{i},{'manager' if i % 5 == 0 else 'operational'},D{i % 7},5,6,2\n" for i in range(20_000)
    )
    parsed = read_responses(write(tmp_path, header + rows), INSTRUMENT)
    assert len(parsed.rows) == 20_000
    assert parsed.rows[-1].answers == {"pu1_cust": 5, "pu1_own": 6, "pm3": 2}


def test_xlsx_import(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["respondent_id", "role", "department", "qu1_cust", "qm2"])
    sheet.append(["m1", "manager", "Vertrieb", 6, 3.0])
    sheet.append(["o1", "operational", "Lager", None, 8])
    path = tmp_path / "answers.xlsx"
    book.save(path)
    found = problems(path)
    assert found == [(3, "qm2", "8 is outside the scale 1–7")]
    sheet.cell(row=3, column=5, value=7)
    book.save(path)
    parsed = read_responses(path, INSTRUMENT)
    assert parsed.rows[0].answers == {"qu1_cust": 6, "qm2": 3}
    assert parsed.rows[1].answers == {"qm2": 7}


def test_broken_xlsx_and_wrong_type(tmp_path: Path) -> None:
    assert "not a readable XLSX" in problems(write(tmp_path, "nope", "x.xlsx"))[0][2]
    assert "unsupported file type" in problems(write(tmp_path, "{}", "x.json"))[0][2]
