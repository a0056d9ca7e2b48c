"""Files as people's tools write them: the separator that only the data rows reveal, JSON text
holding Unicode line separators, numbers too large to use, lone surrogates, and the blank
columns and rows Excel leaves behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from outsidein.instruments import load_instrument
from outsidein.io.problems import ImportRejected
from outsidein.io.responses import read_responses
from outsidein.io.survey_exports import cell_number, csv_delimiter, read_table


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize(
    ("text", "separator"),
    [
        ("id;Overall, how satisfied?;Comments, if any, please\r\n1;5;Great\r\n", ";"),
        ('id,comment\n1,"fine; really"\n2,ok\n', ","),
        ("id\tcomment, with a comma\n1\tgood\n", "\t"),
        ("a;b\n", ";"),  # a header alone: the separator giving most fields
        ("comment\ngood\n", ","),  # one column: the default
    ],
)
def test_the_separator_is_the_one_the_records_agree_on(text: str, separator: str) -> None:
    assert csv_delimiter(text) == separator


def test_a_header_with_commas_in_semicolon_separated_file_is_read(tmp_path: Path) -> None:
    text = "id;Overall, how satisfied?;Comments, if any, please\r\n1;5;Great\r\n2;3;Slow\r\n"
    table = read_table(_write(tmp_path / "eu.csv", text))
    assert table.header == ("id", "Overall, how satisfied?", "Comments, if any, please")
    assert list(table.values(2)) == ["Great", "Slow"]


def test_unicode_line_separators_inside_json_text_keep_the_rows(tmp_path: Path) -> None:
    lines = [
        json.dumps({"comment": "Line one\u2028line two", "stars": 4}, ensure_ascii=False),
        json.dumps({"comment": "next\u0085line", "stars": 5}, ensure_ascii=False),
        json.dumps({"comment": "third", "stars": "x"}),
    ]
    table = read_table(_write(tmp_path / "f.jsonl", "\r\n".join(lines) + "\r\n"))
    assert table.rows == (1, 2, 3) and not table.problems
    assert list(table.values(0)) == ["Line one\u2028line two", "next\u0085line", "third"]


def test_a_lone_surrogate_is_named_with_its_row_and_column(tmp_path: Path) -> None:
    text = '{"comment": "fine", "stars": 4}\n{"comment": "bad \\ud800 char", "stars": 5}\n'
    table = read_table(_write(tmp_path / "f.jsonl", text))
    assert [(p.row, p.column) for p in table.problems] == [(2, "comment")]
    assert "lone surrogate" in table.problems[0].reason
    assert table.rows == (1,)


def test_numbers_too_large_to_use_are_named_not_crashed_on() -> None:
    assert cell_number(10**400, {}) == (None, "a number of 401 digits is too large")
    value, reason = cell_number("9" * 400, {})
    assert value is None and reason is not None and "too large" in reason
    assert cell_number("1e3", {}) == (
        None,
        "'1e3' is not a number (map labels to numbers with --value LABEL=NUMBER, values= from "
        "Python)",
    )


def test_staff_answers_with_excels_trailing_blank_columns_and_rows(tmp_path: Path) -> None:
    text = (
        "respondent_id;role;department;pu1_cust;pu1_own;;\r\n"
        "a1;manager;Sales;5;6;;\r\n"
        ";;;;;;\r\n"
        "b2;operational;Ops;4;;;\r\n"
        ";;;;;;\r\n"
    )
    parsed = read_responses(_write(tmp_path / "answers.csv", text), load_instrument())
    assert [r.respondent_id for r in parsed.rows] == ["a1", "b2"]
    assert parsed.rows[1].answers == {"pu1_cust": 4}
    # an empty column name with a named column after it is still a problem
    bad = "respondent_id,role,,department,pu1_cust\na1,manager,,Sales,5\n"
    with pytest.raises(ImportRejected) as info:
        read_responses(_write(tmp_path / "bad.csv", bad), load_instrument())
    assert [(p.row, p.column, p.reason) for p in info.value.problems] == [
        (1, "#3", "empty column name")
    ]


def test_a_repeated_or_empty_header_is_mapped_by_its_place(tmp_path: Path) -> None:
    from outsidein.io.feedback import read_feedback

    text = "id,Any comments?,Rating,Any comments?,\n1,First answer,4,Second answer,x\n"
    path = _write(tmp_path / "form.csv", text)
    with pytest.raises(ImportRejected) as info:
        read_feedback(path, text="Any comments?")
    assert "name the one you mean by its place, e.g. '#2'" in str(info.value)
    second = read_feedback(path, text="#4", rating="Rating")
    assert second.frame["text"].to_list() == ["Second answer"]
    with pytest.raises(ImportRejected) as info:
        read_feedback(path, text="#9")
    assert "there is no column #9 (the file has 5 columns)" in str(info.value)


def test_a_workbook_whose_data_is_not_on_its_first_sheet_says_so(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from outsidein.io.feedback import read_feedback

    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Instructions"
    notes.append(["This workbook holds our reviews; see the Data sheet."])
    data = book.create_sheet("Data")
    data.append(["comment", "stars"])
    data.append(["Great", 5])
    path = tmp_path / "reviews.xlsx"
    book.save(path)
    with pytest.raises(ImportRejected) as info:
        read_feedback(path, text="comment")
    assert "(from its first sheet, 'Instructions'; it also has 'Data'" in str(info.value)
    book.move_sheet("Data", offset=-1)
    book.save(path)
    assert read_feedback(path, text="comment").frame["text"].to_list() == ["Great"]


def test_a_qualtrics_export_read_as_a_plain_table_is_refused_with_the_way_to_read_it(
    tmp_path: Path,
) -> None:
    current = (
        "StartDate,ResponseId,Q5\n"
        "Start Date,Response ID,Anything else?\n"
        '"{""ImportId"":""startDate""}","{""ImportId"":""_recordId""}",'
        '"{""ImportId"":""QID7_TEXT""}"\n'
        "2026-11-02 10:00:00,R_1aBcD,Slow delivery\n"
    )
    path = _write(tmp_path / "export.csv", current)
    assert read_table(path).format == "qualtrics"  # recognised when not told otherwise
    with pytest.raises(ImportRejected) as info:
        read_table(path, format="csv")
    assert "import it with --format qualtrics" in str(info.value)
    legacy = "V1,ResponseID,Q5\nResponseID,Response ID,Anything else?\nR_1,R_1aBcD,Slow\n"
    with pytest.raises(ImportRejected) as info:
        read_table(_write(tmp_path / "legacy.csv", legacy))
    assert "exporting it again" in str(info.value)
    cleaned = "ResponseId,Q5\nR_1aBcD,Slow delivery\n"  # header rows removed by hand: fine
    assert read_table(_write(tmp_path / "clean.csv", cleaned), format="csv").rows == (2,)


def test_an_ambiguous_date_column_is_told_the_formats_that_fit_it(tmp_path: Path) -> None:
    from outsidein.io.feedback import read_feedback

    dates_only = _write(tmp_path / "d.csv", "comment,posted\nok,01/02/2026\nfine,03/04/2026\n")
    with pytest.raises(ImportRejected) as info:
        read_feedback(dates_only, text="comment", date="posted", timezone="Europe/Helsinki")
    assert "--date-format '%d/%m/%Y' or '%m/%d/%Y'" in str(info.value)
    hinted = read_feedback(dates_only, text="comment", date="posted",
                           timezone="Europe/Helsinki", date_format="%m/%d/%Y")
    assert hinted.frame["date"].dt.month().to_list() == [1, 3]
    clock = _write(tmp_path / "t.csv", "comment,posted\nok,01-02-2026 9:05 PM\n")
    with pytest.raises(ImportRejected) as info:
        read_feedback(clock, text="comment", date="posted", timezone="Europe/Helsinki")
    assert "'%d-%m-%Y %I:%M %p' or '%m-%d-%Y %I:%M %p'" in str(info.value)
