"""The customer evidence as terminal text: what ``outsidein assess`` prints after the verdict."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from outsidein.cli import app
from outsidein.core.evidence import QualityEvidence
from outsidein.core.gaps import QualityGaps
from outsidein.core.quality import NotEstimable, Suppressed
from outsidein.report.text import quality_lines
from outsidein.services.demo import DemoOutcome, run_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoOutcome:
    return run_demo(tmp_path_factory.mktemp("demo") / "ws", seed=7)


def test_assess_prints_the_gaps_and_the_voice_of_the_demo(demo: DemoOutcome) -> None:
    done = CliRunner().invoke(app, ["assess", "--workspace", str(demo.workspace.path)])
    assert done.exit_code == 0, done.stderr
    out = done.stdout
    quality = demo.result.to_dict()["quality"]
    assert isinstance(quality, dict)
    manager = quality["understanding_gap"]["manager"]
    assert (
        f"manager      understanding: Kendall τ {manager['tau']:.2f} "
        f"[{manager['ci_low']:.2f}, {manager['ci_high']:.2f}], {manager['n_staff']} staff" in out
    )
    assert re.search(r"underestimated: .*reliability", out)  # planted: managers put price first
    assert re.search(r"manager +delivery \(staff − customers, 1–7\): \w+ \+1\.\d\d", out)
    assert "customer voice: 1500 comments" in out
    split = quality["customers"]["dimensions"]
    functional = split["dimensions"]["functional"]
    difference = split["functional_minus_technical"]
    assert (
        f"functional {functional['mean']:.2f} [{functional['ci_low']:.2f}, "
        f"{functional['ci_high']:.2f}]"
    ) in out
    assert (
        f"functional − technical {difference['mean']:+.2f} [{difference['ci_low']:+.2f}, "
        f"{difference['ci_high']:+.2f}]"
    ) in out
    voice = quality["voice"]
    top = max(voice["share_of_voice"]["attributes"].values(), key=lambda a: a["share"])
    assert re.search(rf"\n  {top['attribute']} +{100 * top['share']:.0f}% of comments", out)
    # in customers' words, under each attribute shown, as in the JSON
    complaints = next(
        g
        for g in voice["customer_words"]["groups"]
        if g["attribute"] == "courtesy" and g["polarity"] == "negative"
    )
    courtesy = out[out.index("\n  courtesy ") + 1 :].splitlines()
    assert complaints["unsaid"], complaints  # the demo's phrases do not say "warehouse"
    assert (
        f"    complained about with: {', '.join(complaints['words'])} "
        f"(not in our definition: {', '.join(complaints['unsaid'])})"
    ) in courtesy[1:3]
    problems = out[out.index("emerging problems") :].splitlines()[1:]
    emerging = voice["emerging_problems"]
    # the top five, every growing one after them, and how many more the report holds
    kept = [p for i, p in enumerate(emerging) if i < 5 or p["growth"]["growing"]]
    more = len(emerging) - len(kept)
    if more:
        assert problems[len(kept)] == f"    … and {more} more (see the report)"
    problems = problems[: len(kept)]
    assert [line.split(":")[0].strip() for line in problems] == [p["label"] for p in kept]
    growing = [line for line in problems if "GROWING" in line]
    assert len(growing) == sum(p["growth"]["growing"] for p in kept)
    assert all("lately" in line and "since" in line for line in problems)
    assert "@" not in out and "+358" not in out  # quotes are masked


def test_suppressed_and_not_estimable_groups_show_no_numbers() -> None:
    gaps = QualityGaps(
        understanding={
            "manager": Suppressed(what="believed importance", threshold=5),
            "operational": NotEstimable(what="believed importance", reason="no variance", n=8),
        },
        delivery={"manager": {"reliability": Suppressed(what="reliability", threshold=5)}},
    )
    lines = quality_lines(QualityEvidence(customers=None, gaps=gaps))
    assert lines[0].startswith("quality (question Q)")
    assert (
        "  manager      understanding: fewer than 5 respondents: suppressed for anonymity" in lines
    )
    assert "  operational  understanding: no variance" in lines
    assert "  manager      delivery: fewer than 5 respondents: suppressed for anonymity" in lines
    assert not any(re.search(r"\d\.\d", line) for line in lines)


def test_lines_are_in_the_language_asked_and_the_roles_line_up() -> None:
    gaps = QualityGaps(
        understanding={
            "manager": Suppressed(what="believed importance", threshold=5),
            "operational": NotEstimable(what="believed importance", reason="no variance", n=8),
        },
        delivery={"manager": {}},
    )
    lines = quality_lines(QualityEvidence(customers=None, gaps=gaps), "de")
    assert lines == [
        "Qualität (Frage Q): Annahmen der Mitarbeitenden im Vergleich zu den Kunden",
        # the reason comes with the result, in English
        "  Führungskräfte      Verständnis: fewer than 5 respondents: suppressed for anonymity",
        "  operatives Personal Verständnis: no variance",
        "  Führungskräfte      Leistungslücke: keine Merkmale",
    ]


def test_no_evidence_prints_nothing() -> None:
    assert quality_lines(QualityEvidence(customers=None, gaps=None)) == []


def test_the_sentiment_trend_shows_each_months_interval_and_mentions() -> None:
    from outsidein.report.quality import trend_chart

    rows = [
        {"attribute": "reliability", "status": "ok", "period": "2026-01-01", "score": 10.0,
         "ci_low": -5.0, "ci_high": 25.0, "n": 30},
        {"attribute": "reliability", "status": "suppressed", "period": "2026-02-01"},
    ]  # fmt: skip
    html = trend_chart({"rows": rows}, {"reliability": "Reliability"}, ["reliability"])
    assert '"error_y":{"array":[15.0],"arrayminus":[15.0]' in html.replace(" ", "")
    assert '"customdata":[[-5.0,25.0,30]]' in html.replace(" ", "")
    assert "2026-02" not in html  # a suppressed month is left out


def test_the_grid_shows_each_attributes_intervals() -> None:
    from outsidein.report.quality import grid_chart

    grid = {"points": [
        {"attribute": "a", "importance": 5.0, "performance": 4.0, "quadrant": "keep up"},
        {"attribute": "b", "importance": 6.0, "performance": 3.0, "quadrant": "concentrate here"},
    ], "importance_source": "stated"}  # fmt: skip
    rated = {a: {"status": "ok", "ci_low": m - 0.25, "ci_high": m + 0.5}
             for a, m in (("a", 4.0), ("b", 3.0))}
    stated = {a: {"status": "ok", "ci_low": m - 1.0, "ci_high": m + 1.0}
              for a, m in (("a", 5.0), ("b", 6.0))}
    html = grid_chart(grid, {}, rated, stated).replace(" ", "")
    assert '"error_y":{"array":[0.5,0.5],"arrayminus":[0.25,0.25]' in html
    assert '"error_x":{"array":[1.0,1.0],"arrayminus":[1.0,1.0]' in html
    bare = grid_chart(grid, {}, {"a": rated["a"]}).replace(" ", "")  # "b" has no interval
    assert '"error_y":{"array"' not in bare
