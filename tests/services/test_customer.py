"""Customer evidence in a workspace, on SQLite and PostgreSQL: stored whole or not at all."""

from __future__ import annotations

import string
from pathlib import Path

import polars as pl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outsidein.core.attributes import Dimension, QualityAttribute
from outsidein.core.voice_attributes import Attribute
from outsidein.instruments.loader import InstrumentError, parse_attributes
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
    finnish = Attribute.from_quality(attribute, "fi")
    assert finnish.complaints == ("myöhässä",) and finnish.praise == ("arrived on time",)
    assert finnish.phrases == ("delivery date", "arrived on time", "myöhässä")
    raw["attributes"][0]["praise"] = "arrived on time"
    with pytest.raises(InstrumentError, match="attribute 1: praise must be a list of phrases"):
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
