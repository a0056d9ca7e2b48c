"""Customer evidence in a workspace, on SQLite and PostgreSQL: stored whole or not at all."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outsidein.core.attributes import Dimension, QualityAttribute
from outsidein.core.voice_attributes import Attribute
from outsidein.instruments.loader import InstrumentError, parse_attributes
from outsidein.io.customer import SURVEY_BASE_SCHEMA
from outsidein.io.feedback import FEEDBACK_SCHEMA
from outsidein.io.problems import ImportRejected
from outsidein.services.customer import (
    import_customer_survey,
    import_feedback,
    import_voice_labels,
    load_customer_survey,
    load_feedback,
    load_voice_labels,
)
from outsidein.services.workspace import Workspace, WorkspaceError
from outsidein.store import models, queries

DATA = Path(__file__).resolve().parent.parent / "data" / "customer"
QUALTRICS_SURVEY = {
    "attributes": {"reliability": "Q3_1", "courtesy": "Q3_2"},
    "importance": {"reliability": "Q4_1", "courtesy": "Q4_2"},
    "overall": "Q1",
    "nps": "Q6",
    "csat": "Q7",
    "segment": "Q8",
}


def datasets(ws: Workspace) -> list[models.Dataset]:
    return list(
        models.Dataset.objects.using(ws.alias)
        .filter(organisation__slug=ws.organisation)
        .order_by("pk")
    )


def stored_files(ws: Workspace) -> list[Path]:
    """Everything under the data folder, temporary files included."""
    return sorted(p for p in ws.data_dir.rglob("*") if p.is_file())


def test_imports_are_stored_registered_and_loaded(workspace: Workspace) -> None:
    feedback = import_feedback(
        workspace, DATA / "qualtrics.csv", text="Q5", rating="Q2", segment="Q8"
    )
    survey = import_customer_survey(workspace, DATA / "qualtrics.csv", **QUALTRICS_SURVEY)
    more = import_customer_survey(
        workspace,
        DATA / "survey.parquet",
        attributes={"reliability": "reliability"},
        overall="overall",
        id="id",
    )
    registered = datasets(workspace)
    assert [d.kind for d in registered] == ["feedback", "customer_survey", "customer_survey"]
    first = registered[0]
    assert first.pk == feedback.dataset_id and first.source_name == "qualtrics.csv"
    assert first.source_sha256 == feedback.sha256 and len(first.source_sha256) == 64
    assert first.rows == 4 and first.columns == list(feedback.columns)
    assert first.options["mapping"] == {
        "text": "Q5",
        "rating": "Q2",
        "segment": "Q8",
        "date": "RecordedDate",
        "id": "ResponseId",
    }
    assert first.options["timezone"] == "America/Denver"
    assert first.path.startswith("data/feedback/") and (workspace.path / first.path).is_file()
    assert stored_files(workspace) == sorted(workspace.path / d.path for d in registered)

    comments = load_feedback(workspace)
    assert comments.columns[0] == "dataset_id"
    assert comments["dataset_id"].unique().to_list() == [feedback.dataset_id]
    assert comments["comment_id"][0] == "R_1a2B3c4D5e6F7g8"
    assert comments["date"].dtype == pl.Datetime("us", "UTC")

    customers = load_customer_survey(workspace)
    assert customers.columns == [
        "dataset_id",
        "customer_id",
        "date",
        "segment",
        "reliability",
        "courtesy",
        "importance__reliability",
        "importance__courtesy",
        "overall",
        "nps",
        "csat",
        "source_row",
    ]
    assert customers.height == 8
    assert customers.group_by("dataset_id").len().sort("dataset_id")["len"].to_list() == [4, 4]
    later = customers.filter(pl.col("dataset_id") == more.dataset_id)
    assert later["courtesy"].null_count() == 4 and later["reliability"].to_list() == [6, 3, 5, 2]
    assert survey.attributes == ("reliability", "courtesy")
    # a path opens the workspace, too
    assert load_feedback(workspace.path).equals(comments)


def test_empty_workspace_loads_empty_frames(workspace: Workspace) -> None:
    assert load_feedback(workspace).is_empty()
    assert load_feedback(workspace).columns[:2] == ["dataset_id", "comment_id"]
    assert load_customer_survey(workspace).columns == [
        "dataset_id",
        "customer_id",
        "date",
        "segment",
        "overall",
        "nps",
        "csat",
        "source_row",
    ]


def test_bad_file_stores_nothing(workspace: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "feedback.csv"
    bad.write_text("id,text,stars\na,good,5\nb,,4\nc,fine,6\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        import_feedback(workspace, bad, text="text", rating="stars", id="id")
    assert [(p.row, p.column) for p in info.value.problems] == [(3, "text"), (4, "stars")]
    assert datasets(workspace) == [] and stored_files(workspace) == []


def test_failed_registration_leaves_no_file(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(queries, "register_dataset", broken)
    with pytest.raises(RuntimeError, match="database went away"):
        import_feedback(workspace, DATA / "survey.jsonl", text="comment")
    assert datasets(workspace) == [] and stored_files(workspace) == []


def test_same_file_and_mapping_is_not_imported_twice(workspace: Workspace) -> None:
    import_feedback(workspace, DATA / "qualtrics.csv", text="Q5")
    with pytest.raises(ImportRejected, match="already imported with the same columns"):
        import_feedback(workspace, DATA / "qualtrics.csv", text="Q5")
    # another question of the same export is another dataset
    import_feedback(workspace, DATA / "qualtrics.csv", text="Q8")
    assert len(datasets(workspace)) == 2 and len(stored_files(workspace)) == 2


def test_survey_attributes_must_be_the_firms(workspace: Workspace) -> None:
    with pytest.raises(ImportRejected) as info:
        import_customer_survey(workspace, DATA / "survey.jsonl", attributes={"speed": "courtesy"})
    problem = info.value.problems[0]
    assert problem.column == "courtesy" and "not one of the default quality attributes" in (
        problem.reason
    )
    queries.replace_quality_attributes(
        workspace.alias,
        workspace.organisation,
        [
            QualityAttribute(
                id="speed",
                name={"en": "Speed"},
                description={"en": "How fast"},
                dimension=Dimension.FUNCTIONAL,
            )
        ],
    )
    summary = import_customer_survey(
        workspace, DATA / "survey.jsonl", attributes={"speed": "courtesy"}
    )
    assert summary.rows == 4 and "speed" in load_customer_survey(workspace).columns
    with pytest.raises(ImportRejected, match="not one of the firm's quality attributes"):
        import_customer_survey(workspace, DATA / "survey.jsonl", attributes={"reliability": "x"})
    assert len(datasets(workspace)) == 1


def test_praise_and_complaints_are_read_and_stored_per_language(workspace: Workspace) -> None:
    raw = yaml.safe_load(
        """
attributes:
  - id: on_time
    name: {en: on-time delivery, fi: toimitusvarmuus}
    dimension: functional
    examples: [delivery date]
    praise: [arrived on time]
    complaints: {en: [late delivery, missed the slot], fi: [myöhässä]}
"""
    )
    (attribute,) = parse_attributes(raw, source="attrs.yaml")
    assert attribute.praise == {"en": ("arrived on time",)}
    assert attribute.complaints == {"en": ("late delivery", "missed the slot"), "fi": ("myöhässä",)}
    queries.replace_quality_attributes(workspace.alias, workspace.organisation, [attribute])
    assert queries.quality_attributes(workspace.alias, workspace.organisation) == (attribute,)
    # every language's phrases, the asked one's first: customers write in theirs
    finnish = Attribute.from_quality(attribute, "fi")
    assert finnish.complaints == ("myöhässä", "late delivery", "missed the slot")
    assert finnish.praise == ("arrived on time",) and finnish.name == "toimitusvarmuus"
    assert finnish.phrases == (
        "delivery date", "arrived on time", "myöhässä", "late delivery", "missed the slot"
    )
    assert Attribute.from_quality(attribute, "en").complaints == (
        "late delivery", "missed the slot", "myöhässä"
    )
    raw["attributes"][0]["praise"] = "arrived on time"
    with pytest.raises(
        InstrumentError, match=r"attribute 1 \('on_time'\): praise must be a list of phrases"
    ):
        parse_attributes(raw, source="attrs.yaml")


def test_missing_data_file_is_reported(workspace: Workspace) -> None:
    summary = import_feedback(workspace, DATA / "survey.jsonl", text="comment")
    (workspace.path / summary.path).unlink()
    with pytest.raises(WorkspaceError, match="is missing"):
        load_feedback(workspace)


CELL = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + ' ,;"\n-:/.', max_size=10),
    st.sampled_from(["", "3", "6", "2024-01-01", "2024-13-01", "x"]),
)


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=st.lists(st.lists(CELL, min_size=4, max_size=4), min_size=1, max_size=5))
def test_random_files_are_stored_whole_or_not_at_all(
    workspace: Workspace, tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    import csv

    path = tmp_path_factory.mktemp("fuzz") / "feedback.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "text", "stars", "when"])
        writer.writerows(rows)
    before = len(datasets(workspace))
    try:
        summary = import_feedback(
            workspace, path, id="id", text="text", rating="stars", date="when"
        )
    except ImportRejected:
        assert len(datasets(workspace)) == before
    else:
        assert len(datasets(workspace)) == before + 1
        stored = pl.read_parquet(workspace.path / summary.path)
        assert (
            stored.height
            == summary.rows
            == len(rows) - sum(not any(c.strip() for c in row) for row in rows)
        )
    assert len(stored_files(workspace)) == len(datasets(workspace))


def write_labels(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["text", "attributes", "attribute_sentiment"])
        writer.writerows(rows)
    return path


def test_labelled_sentences_are_stored_and_loaded_in_order(
    workspace: Workspace, tmp_path: Path
) -> None:
    first = write_labels(
        tmp_path / "labels.csv",
        [
            ("The truck came two days late.", "reliability", "reliability:negative"),
            (
                "Kind driver, late again.",
                "courtesy;reliability",
                "courtesy:positive;reliability:negative",
            ),
            ("Order 4471 sent on Monday.", "", ""),
        ],
    )
    summary = import_voice_labels(workspace, first)
    assert summary.kind == "voice_labels" and summary.rows == 3
    assert [d.kind for d in datasets(workspace)] == ["voice_labels"]
    with pytest.raises(ImportRejected, match="already imported"):
        import_voice_labels(workspace, first)
    second = tmp_path / "more.csv"
    second.write_text("text,attributes\nThe price is fair.,price_value\n", encoding="utf-8")
    import_voice_labels(workspace, second)
    labelled = load_voice_labels(workspace)
    assert labelled is not None
    assert labelled.texts == (
        "The truck came two days late.",
        "Kind driver, late again.",
        "Order 4471 sent on Monday.",
        "The price is fair.",
    )
    assert labelled.labels == (("reliability",), ("courtesy", "reliability"), (), ("price_value",))
    assert labelled.polarity is not None
    assert [[(i, p.value) for i, p in pairs] for pairs in labelled.polarity] == [
        [("reliability", "negative")],
        [("courtesy", "positive"), ("reliability", "negative")],
        [],
        [],  # the second file had no polarity column
    ]


def test_bad_labelled_sentences_are_named_and_nothing_is_stored(
    workspace: Workspace, tmp_path: Path
) -> None:
    assert load_voice_labels(workspace) is None
    bad = write_labels(
        tmp_path / "bad.csv",
        [
            ("Fine.", "reliability", "reliability:negative"),
            ("", "courtesy", ""),
            ("Slow.", "speed", ""),
            ("Rude.", "courtesy", "courtesy:awful"),
        ],
    )
    with pytest.raises(ImportRejected) as rejected:
        import_voice_labels(workspace, bad)
    problems = {(p.row, p.column) for p in rejected.value.problems}
    assert problems == {(3, "text"), (4, "attributes"), (5, "attribute_sentiment")}
    assert datasets(workspace) == [] and stored_files(workspace) == []


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=5))
def test_random_labelled_files_are_stored_whole_or_not_at_all(
    workspace: Workspace, tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    path = write_labels(
        tmp_path_factory.mktemp("fuzz") / "labels.csv", [(a, b, c) for a, b, c in rows]
    )
    before = len(datasets(workspace))
    try:
        summary = import_voice_labels(workspace, path)
    except ImportRejected:
        assert len(datasets(workspace)) == before
    else:
        assert len(datasets(workspace)) == before + 1
        stored = pl.read_parquet(workspace.path / summary.path)
        assert stored.height == summary.rows
    assert len(stored_files(workspace)) == len(datasets(workspace))


def test_labels_of_attributes_the_firm_no_longer_has_are_left_out() -> None:
    from outsidein.core.sentiment import Polarity
    from outsidein.io.voice_files import LabelledSentences

    labelled = LabelledSentences(
        texts=("late again", "late, and a rude driver", "order sent", "kind driver"),
        labels=(("reliability",), ("reliability", "courtesy"), (), ("courtesy",)),
        polarity=(
            (("reliability", Polarity.NEGATIVE),),
            (("reliability", Polarity.NEGATIVE), ("courtesy", Polarity.NEGATIVE)),
            (),
            (("courtesy", Polarity.POSITIVE),),
        ),
    )
    assert labelled.restricted_to(["reliability", "courtesy"]) == (labelled, ())
    kept, outdated = labelled.restricted_to(["reliability", "speed"])
    assert outdated == ("courtesy",)
    assert kept is not None and kept.texts == ("late again", "order sent")
    assert kept.polarity == ((("reliability", Polarity.NEGATIVE),), ())
    assert labelled.restricted_to(["speed"]) == (None, ("courtesy", "reliability"))


# --- nobody counted twice -----------------------------------------------------------------------


def test_the_same_comments_under_another_mapping_are_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    comments = tmp_path / "a.csv"
    comments.write_text("id,comment,stars\n1,good,5\n2,bad,1\n", encoding="utf-8")
    import_feedback(workspace, comments, text="comment", rating="stars", id="id")
    with pytest.raises(ImportRejected) as info:
        import_feedback(workspace, comments, text="comment", id="id")
    assert [(p.file, p.row, p.column) for p in info.value.problems] == [
        ("a.csv", 2, "id"),
        ("a.csv", 3, "id"),
    ]
    first = info.value.problems[0].reason
    assert first.startswith("comment '1' is already stored with its text from column 'comment'")
    assert f"(dataset {datasets(workspace)[0].pk}, a.csv)" in first
    assert len(datasets(workspace)) == 1 and len(stored_files(workspace)) == 1
    assert load_feedback(workspace)["comment_id"].to_list() == ["1", "2"]


def test_a_copy_with_other_line_endings_or_one_more_row_is_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    import_feedback(
        workspace, write(tmp_path / "a.csv", "id,comment\n1,good\n2,bad\n"), text="comment", id="id"
    )
    crlf = write(tmp_path / "crlf.csv", "id,comment\r\n1,good\r\n2,bad\r\n")
    with pytest.raises(ImportRejected, match="comment '2' is already stored"):
        import_feedback(workspace, crlf, text="comment", id="id")
    longer = write(tmp_path / "longer.csv", "id,comment\n1,good\n2,bad\n3,new\n")
    with pytest.raises(ImportRejected) as info:
        import_feedback(workspace, longer, text="comment", id="id")
    assert [p.row for p in info.value.problems] == [2, 3]
    assert len(datasets(workspace)) == 1 and load_feedback(workspace).height == 2
    # only the new comment: stored
    import_feedback(
        workspace, write(tmp_path / "new.csv", "id,comment\n3,new\n"), text="comment", id="id"
    )
    assert load_feedback(workspace)["comment_id"].to_list() == ["1", "2", "3"]


def test_a_copy_of_a_file_without_ids_is_refused_by_its_content(
    workspace: Workspace, tmp_path: Path
) -> None:
    import_feedback(
        workspace,
        write(tmp_path / "a.csv", "comment,stars\ngood,5\nbad,1\n"),
        text="comment",
        rating="stars",
    )
    copies = {
        "crlf.csv": "comment,stars\r\ngood,5\r\nbad,1\r\n",
        "bom.csv": "\ufeffcomment,stars\ngood,5\nbad,1\n",
        "reordered.csv": "stars;comment\n1;bad\n5;good\n",
    }
    for name, text in copies.items():
        with pytest.raises(ImportRejected) as info:
            import_feedback(workspace, write(tmp_path / name, text), text="comment", rating="stars")
        (problem,) = info.value.problems
        assert problem.file == name and problem.row is None
        assert problem.reason.startswith("this file holds the same answers as the file imported")
        assert "(dataset" in problem.reason and "a.csv)" in problem.reason
    assert len(datasets(workspace)) == 1 and len(stored_files(workspace)) == 1
    # other answers without ids are new comments
    import_feedback(
        workspace,
        write(tmp_path / "b.csv", "comment,stars\ngood,4\nbad,1\n"),
        text="comment",
        rating="stars",
    )
    assert load_feedback(workspace).height == 4


def test_the_same_comments_mapped_with_fewer_columns_from_a_rewritten_copy_are_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Ids generated from the bytes and a content hash over every mapped column both miss a
    copy that is written differently *and* mapped with fewer columns: the texts catch it."""
    first = write(
        tmp_path / "r1.csv", 'comment,score,when\r\n"a",3,2024-01-02\r\n"b",4,2024-01-03\r\n'
    )
    import_feedback(workspace, first, text="comment", rating="score", date="when")
    copy = write(tmp_path / "r2.csv", "when,comment,score\n2024-01-03,b,4\n2024-01-02,a,3\n")
    for mapping in ({"rating": "score"}, {}, {"date": "when"}):
        with pytest.raises(ImportRejected) as info:
            import_feedback(workspace, copy, text="comment", **mapping)
        (problem,) = info.value.problems
        assert problem.file == "r2.csv" and "are no new feedback" in problem.reason
        assert problem.reason.endswith("map the file's id column with --id)")
        assert "(dataset" in problem.reason and "r1.csv)" in problem.reason
        assert problem.reason.startswith("this file holds the same comments (text")
    assert len(datasets(workspace)) == 1 and len(stored_files(workspace)) == 1
    # other comments, or the same texts rated otherwise, are new feedback
    other = write(tmp_path / "r3.csv", "comment,score\na,5\nb,4\n")
    import_feedback(workspace, other, text="comment", rating="score")
    assert load_feedback(workspace).height == 4
    # the same short texts on other days, or under ids of their own, are new comments too
    later = write(tmp_path / "r4.csv", "comment,score,when\na,3,2024-02-02\nb,4,2024-02-03\n")
    import_feedback(workspace, later, text="comment", rating="score", date="when")
    own_ids = write(tmp_path / "r5.csv", "id,comment,score\nx1,a,5\nx2,b,4\n")
    import_feedback(workspace, own_ids, text="comment", rating="score", id="id")
    assert load_feedback(workspace).height == 8


def test_the_same_survey_export_with_another_mapping_does_not_count_customers_twice(
    workspace: Workspace,
) -> None:
    without_segment = {k: v for k, v in QUALTRICS_SURVEY.items() if k != "segment"}
    import_customer_survey(workspace, DATA / "qualtrics.csv", **without_segment)
    nps = load_customer_survey(workspace)["nps"].to_list()
    with pytest.raises(ImportRejected) as info:
        import_customer_survey(workspace, DATA / "qualtrics.csv", **QUALTRICS_SURVEY)
    problems = info.value.problems
    assert [(p.row, p.column) for p in problems] == [
        (4, "ResponseId"),
        (6, "ResponseId"),  # row 5 is unfinished, row 7 a preview: neither was imported
        (8, "ResponseId"),
        (9, "ResponseId"),
    ]
    assert problems[0].reason.startswith("customer 'R_1a2B3c4D5e6F7g8' is already stored")
    customers = load_customer_survey(workspace)
    assert customers["nps"].to_list() == nps and customers["customer_id"].is_unique().all()
    assert len(datasets(workspace)) == 1


def test_rows_of_a_file_without_ids_are_refused_under_another_mapping(
    workspace: Workspace, tmp_path: Path
) -> None:
    survey = write(tmp_path / "s.csv", "reliability,overall,seg\n5,6,a\n3,2,b\n")
    on_seven = {"attributes": {"reliability": "reliability"}, "rating_scale": (1, 7)}
    import_customer_survey(workspace, survey, **on_seven)
    with pytest.raises(ImportRejected) as info:
        import_customer_survey(workspace, survey, overall="overall", **on_seven)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, None), (3, None)]
    assert "this row is already stored" in info.value.problems[0].reason
    assert load_customer_survey(workspace).height == 2


def test_concurrent_imports_of_the_same_comments_store_them_once(
    workspace: Workspace, tmp_path: Path
) -> None:
    import threading

    from django.db import connections

    copies = [
        write(tmp_path / f"copy{i}.csv", "id,comment\n1,good\n2,bad\n".replace("\n", end))
        for i, end in enumerate(["\n", "\r\n", "\n", "\r\n"])
    ]
    barrier = threading.Barrier(len(copies))
    outcomes: list[str] = []

    def run(path: Path) -> None:
        try:
            barrier.wait()
            import_feedback(workspace, path, text="comment", id="id")
            outcomes.append("stored")
        except ImportRejected:
            outcomes.append("refused")
        except BaseException as exc:  # reported below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(path,)) for path in copies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused"] * 3 + ["stored"]
    assert len(datasets(workspace)) == 1 and len(stored_files(workspace)) == 1
    assert load_feedback(workspace)["comment_id"].to_list() == ["1", "2"]


def test_many_repeated_ids_list_the_first_ten_and_count_the_rest(
    workspace: Workspace, tmp_path: Path
) -> None:
    lines = "".join(f"c{i},{i % 7 + 1}\n" for i in range(30))
    first = write(tmp_path / "first.csv", "id,reliability\n" + lines)
    import_customer_survey(workspace, first, id="id", attributes={"reliability": "reliability"})
    again = write(tmp_path / "again.csv", "id,reliability\n" + lines.replace(",1\n", ",2\n"))
    with pytest.raises(ImportRejected) as info:
        import_customer_survey(workspace, again, id="id", attributes={"reliability": "reliability"})
    assert info.value.total == 30 and [p.row for p in info.value.problems] == list(range(2, 12))
    assert "... and 20 more" in str(info.value)


def test_loaders_return_each_customer_and_comment_once(workspace: Workspace) -> None:
    """A workspace from before imports were checked for repeats may hold ids twice."""
    from outsidein.services.datasets import write_parquet

    feedback = pl.DataFrame(
        {
            "comment_id": ["1", "2"],
            "text": ["good", "bad"],
            "rating": [5.0, 1.0],
            "date": [None, None],
            "segment": [None, None],
            "source_row": [2, 3],
        },
        schema=FEEDBACK_SCHEMA,
    )
    survey = pl.DataFrame(
        {
            "customer_id": ["a", "b"],
            "date": [None, None],
            "segment": [None, None],
            "reliability": [6.0, 2.0],
            "overall": [None, None],
            "nps": [9.0, 3.0],
            "csat": [None, None],
            "source_row": [2, 3],
        },
        schema={
            **SURVEY_BASE_SCHEMA,
            "reliability": pl.Float64(),
            "overall": pl.Float64(),
            "nps": pl.Float64(),
            "csat": pl.Float64(),
            "source_row": pl.Int64(),
        },
    )
    legacy = {
        "feedback": (feedback, {"columns": {"text": "comment"}, "rating_scale": [1, 5]}),
        "customer_survey": (survey, {"scales": {"rating_scale": [1, 7]}}),
    }
    for kind, (frame, options) in legacy.items():
        for _ in range(2):
            target = write_parquet(workspace, kind, frame, "0" * 64)
            queries.register_dataset(
                workspace.alias,
                workspace.organisation,
                kind=kind,
                source_name=f"{kind}.csv",
                source_sha256="0" * 64,
                path=target.relative_to(workspace.path).as_posix(),
                rows=frame.height,
                columns=frame.columns,
                options=options,
            )
    comments = load_feedback(workspace)
    assert comments["comment_id"].to_list() == ["1", "2"]
    assert comments["dataset_id"].to_list() == [datasets(workspace)[0].pk] * 2
    customers = load_customer_survey(workspace)
    assert customers["customer_id"].to_list() == ["a", "b"]
    assert customers["nps"].to_list() == [9.0, 3.0]


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


# --- one scale for ratings answered on several ----------------------------------------------------


def staff_and_survey(ws: Workspace, folder: Path) -> pl.DataFrame:
    """The demo firm's staff answers, imported; its customer survey (on 1–7), returned."""
    from outsidein.demo.customers import generate_customer_survey
    from outsidein.demo.staff import generate_demo_firm
    from outsidein.services.assessment import import_responses, workspace_instrument

    staff = folder / "staff.csv"
    generate_demo_firm(workspace_instrument(ws), seed=7).responses.write_csv(staff)
    import_responses(ws, staff)
    return generate_customer_survey(seed=11, customers=240)


def survey_columns(survey: pl.DataFrame) -> dict[str, Any]:
    from outsidein.demo.customers import CUSTOMER_VIEW

    return {
        "id": "customer_id",
        "overall": "overall",
        "nps": "nps",
        "attributes": {a: a for a in CUSTOMER_VIEW},
        "importance": {a: f"importance__{a}" for a in CUSTOMER_VIEW},
    }


def on_one_to_five(survey: pl.DataFrame) -> pl.DataFrame:
    rated = [c for c in survey.columns if c not in ("customer_id", "date", "segment", "nps")]
    return survey.with_columns((1 + (pl.col(c) - 1) * 4 / 6).alias(c) for c in rated)


def test_a_survey_on_1_to_5_gives_the_gaps_of_the_same_survey_on_1_to_7(
    workspace: Workspace, tmp_path: Path
) -> None:
    from outsidein.services.assessment import assess

    survey = staff_and_survey(workspace, tmp_path)
    seven, five = tmp_path / "survey17.csv", tmp_path / "survey15.csv"
    survey.write_csv(seven)
    on_one_to_five(survey).write_csv(five)
    first = import_customer_survey(workspace, seven, **survey_columns(survey))
    on_seven = assess(workspace).to_dict()["quality"]
    models.Dataset.objects.using(workspace.alias).filter(pk=first.dataset_id).delete()
    import_customer_survey(workspace, five, rating_scale=(1, 5), **survey_columns(survey))
    on_five = assess(workspace).to_dict()["quality"]

    for role, cells in on_seven["delivery_gap"].items():
        for attribute, seven_cell in cells.items():
            five_cell = on_five["delivery_gap"][role][attribute]
            for key in ("staff_mean", "customer_mean", "gap", "ci_low", "ci_high"):
                assert five_cell[key] == pytest.approx(seven_cell[key], abs=1e-9), (role, key)
            assert "rescaled" not in seven_cell["method"]
            assert five_cell["method"].endswith(
                "; customer ratings on 1–5 rescaled linearly to 1–7"
            )
    courtesy = on_five["delivery_gap"]["manager"]["courtesy"]
    assert courtesy["customer_mean"] > 5  # on 1–7, not the 1–5 answers' mean
    for role, gap in on_seven["understanding_gap"].items():
        assert on_five["understanding_gap"][role]["tau"] == pytest.approx(gap["tau"])
    performance = on_five["customers"]["performance"]["attributes"]
    for attribute, score in on_seven["customers"]["performance"]["attributes"].items():
        assert performance[attribute]["mean"] == pytest.approx(score["mean"])
        assert performance[attribute]["method"] == (
            "mean on 1–7 with Student t CI; answers on 1–5 rescaled linearly to 1–7"
        )


def test_surveys_on_several_scales_are_pooled_on_1_to_7(
    workspace: Workspace, tmp_path: Path
) -> None:
    from outsidein.services.customer import survey_scales

    five = write(
        tmp_path / "five.csv", "id,reliability,importance,overall,csat\na,1,5,3,10\nb,5,2,4,6\n"
    )
    seven = write(tmp_path / "seven.csv", "id,reliability,overall,csat\nc,7,4,5\nd,4,1,1\n")
    import_customer_survey(
        workspace,
        five,
        id="id",
        attributes={"reliability": "reliability"},
        importance={"reliability": "importance"},
        overall="overall",
        csat="csat",
        rating_scale=(1, 5),
        csat_scale=(1, 10),
    )
    import_customer_survey(
        workspace,
        seven,
        id="id",
        attributes={"reliability": "reliability"},
        overall="overall",
        csat="csat",
        rating_scale=(1, 7),  # its overall ratings (4 and 1) alone would leave 1-5 open
    )
    customers = load_customer_survey(workspace)
    assert customers["customer_id"].to_list() == ["a", "b", "c", "d"]
    assert customers["reliability"].to_list() == [1.0, 7.0, 7.0, 4.0]
    assert customers["importance__reliability"].to_list() == [7.0, 2.5, None, None]
    assert customers["overall"].to_list() == [4.0, 5.5, 4.0, 1.0]
    assert customers["csat"].to_list() == pytest.approx([5.0, 1 + 4 * 5 / 9, 5.0, 1.0])
    scales = survey_scales(workspace)
    assert scales.ratings.note("answers") == "; answers on 1–5 rescaled linearly to 1–7"
    assert scales.importance.rescaled_from == ((1.0, 5.0),)
    assert scales.csat.scale == (1.0, 5.0) and scales.csat.rescaled_from == (
        (1.0, 10.0),
        (1.0, 5.0),
    )


def test_feedback_ratings_on_several_scales_are_pooled_on_1_to_5(
    workspace: Workspace, tmp_path: Path
) -> None:
    from outsidein.services.customer import feedback_scale

    assert feedback_scale(workspace).note("ratings") == ""
    stars = write(tmp_path / "stars.csv", "id,comment,stars\n1,good,5\n2,bad,1\n3,fine,3\n")
    tens = write(tmp_path / "tens.csv", "id,comment,score\n4,great,10\n5,awful,1\n6,ok,5.5\n")
    import_feedback(workspace, stars, id="id", text="comment", rating="stars")
    import_feedback(workspace, tens, id="id", text="comment", rating="score", rating_scale=(1, 10))
    comments = load_feedback(workspace)
    assert comments["comment_id"].to_list() == ["1", "2", "3", "4", "5", "6"]
    assert comments["rating"].to_list() == [5.0, 1.0, 3.0, 5.0, 1.0, 3.0]
    assert feedback_scale(workspace).note("ratings") == "; ratings on 1–10 rescaled linearly to 1–5"


def test_feedback_on_1_to_10_gives_the_impact_of_the_same_feedback_on_1_to_5(
    workspace: Workspace, tmp_path: Path
) -> None:
    from outsidein.demo.customers import generate_feedback
    from outsidein.services.assessment import assess

    comments = generate_feedback(seed=12, comments=400)
    columns = {"id": "comment_id", "text": "text", "rating": "rating", "date": "date"}
    whole, stars, tens = tmp_path / "whole.csv", tmp_path / "stars.csv", tmp_path / "tens.csv"
    comments.write_csv(whole)
    first = import_feedback(workspace, whole, **columns)
    on_five = assess(workspace).to_dict()["quality"]["voice"]["impact_on_rating"]
    models.Dataset.objects.using(workspace.alias).filter(pk=first.dataset_id).delete()
    comments[:200].write_csv(stars)
    comments[200:].with_columns((1 + (pl.col("rating") - 1) * 9 / 4).alias("rating")).write_csv(
        tens
    )
    import_feedback(workspace, stars, **columns)
    import_feedback(workspace, tens, rating_scale=(1, 10), **columns)
    pooled = assess(workspace).to_dict()["quality"]["voice"]["impact_on_rating"]
    assert on_five["status"] == pooled["status"] == "ok"
    assert len(pooled["impacts"]) == len(on_five["impacts"]) > 0
    for alone, together in zip(on_five["impacts"], pooled["impacts"], strict=True):
        assert (together["attribute"], together["polarity"]) == (
            alone["attribute"],
            alone["polarity"],
        )
        assert together["effect"] == pytest.approx(alone["effect"])
        assert together["ci_low"] == pytest.approx(alone["ci_low"])
    assert on_five["method"].startswith("OLS of rating (points on 1–5)")
    assert "rescaled" not in on_five["method"]
    assert pooled["method"].endswith("; ratings on 1–10 rescaled linearly to 1–5")
