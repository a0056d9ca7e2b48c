"""The auditor's repro end to end: `journeys analyze`, and in a workspace `import events`,
`journeys model`, `assess --json` and `report`; nothing of the one VIP journey comes out, and
the workspace's own anonymity threshold decides what does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from outsidein.cli import app
from outsidein.services.journeys import process_evidence
from outsidein.services.workspace import Workspace
from tests.core.test_journeys_anonymity import JANE, VIP_TIMES, repro

MODEL_YAML = """\
name: Order to delivery
steps:
  - step: Order
    served_by: customer
  - step: Ship
    served_by: Warehouse
    expected_duration: 10h
  - step: Deliver
    served_by: Courier
"""
SECRETS = ("Complaint", "Jane", "vip", *(str(t) for t in VIP_TIMES))

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr or result.stdout
    return result.stdout


def files(folder: Path, vips: int) -> tuple[Path, Path]:
    log = folder / "log.csv"
    repro(vips).with_columns(pl.col("timestamp").dt.strftime("%Y-%m-%dT%H:%M:%SZ")).write_csv(log)
    model = folder / "model.yaml"
    model.write_text(MODEL_YAML, encoding="utf-8")
    return log, model


def fill(workspace: Workspace, tmp_path: Path, vips: int) -> None:
    log, model = files(tmp_path, vips)
    ws = str(workspace.path)
    run("import", "events", str(log), "-w", ws, "--actor", "actor", "--segment", "segment")
    run("journeys", "model", str(model), "-w", ws)


def test_journeys_analyze_publishes_nothing_of_the_vip(tmp_path: Path) -> None:
    log, model = files(tmp_path, 1)
    out = tmp_path / "out"
    flags = ["--actor", "actor", "--segment", "segment", "--by", "segment"]
    run("journeys", "analyze", str(log), "--model", str(model), *flags, "--out", str(out))
    text = (out / "summary.json").read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in text, secret
    summary = json.loads(text)
    assert (summary["cases"], summary["variants"], summary["activities"]) == (21, 2, 4)
    assert summary["top_variants"] == [] and summary["rare_variants"] == {
        "variants": 2,
        "cases": 21,
    }
    assert summary["hidden_edges"] == 2
    assert summary["unknown_activities"] == summary["deviations"] == []
    assert summary["fitness"] == pytest.approx((20 + 6 / 7) / 21)
    # the VIP segment of one journey, and "retail", which the whole minus VIP would give away
    assert summary["grouped"]["suppressed_groups"] == 2


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_assess_json_and_report_publish_nothing_of_the_vip(
    workspace: Workspace, tmp_path: Path
) -> None:
    fill(workspace, tmp_path, 1)
    ws = str(workspace.path)
    assessed = run("assess", "-w", ws, "--json")
    report = tmp_path / "report.html"
    run("report", "-w", ws, "--out", str(report))
    html = report.read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in assessed, secret
        assert secret not in html, secret
    result = json.loads(assessed)
    process, ecosystem = result["process"], result["ecosystem"]
    assert process["cases"] == 21 and process["fitness"] == pytest.approx((20 + 6 / 7) / 21)
    assert process["unknown_activities"] == process["deviations"] == []
    assert [s["step"] for s in ecosystem["steps"]] == ["Order", "Ship", "Deliver"]
    assert ecosystem["hidden_steps"] == 1
    # the map draws the two arcs of 20 and 21 journeys; Deliver's box counts the arc drawn
    # into it (20), not the 21 journeys through it, which would give the hidden arc's 1 away
    assert "2 arcs taken by fewer than 5 journeys are not drawn" in html
    assert re.search(r">20 visits</text><title>Deliver: 20 visits</title>", html)
    assert "Ship → Deliver: 20 journeys" in html
    assert "Not shown: 2 rarer paths, 21 journeys" in html
    assert 'id="chart-variants"' not in html
    assert "1 step outside the model that fewer than 5 journeys take is not listed" in html


def set_threshold(workspace: Workspace, k: int) -> None:
    from outsidein.store import models

    models.Assessment.objects.using(workspace.alias).filter(
        organisation__slug=workspace.organisation, name=workspace.assessment
    ).update(anonymity_threshold=k)


@pytest.mark.parametrize(
    ("vips", "k", "shown"), [(5, 5, True), (4, 5, False), (3, 3, True), (2, 3, False)]
)
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_assessments_threshold_decides_and_exactly_k_is_shown(
    workspace: Workspace, tmp_path: Path, vips: int, k: int, shown: bool
) -> None:
    fill(workspace, tmp_path, vips)
    set_threshold(workspace, k)
    evidence = process_evidence(workspace)
    assert evidence is not None and evidence.summary.min_cases == k
    assert evidence.conformance is not None
    unknown = [(u.activity, u.cases) for u in evidence.conformance.unknown_activities]
    assert unknown == ([("Complaint", vips)] if shown else [])
    paths = {v.steps: v.count for v in evidence.summary.variants.variants}
    assert (paths.get(("Order", "Ship", "Complaint", "Deliver")) == vips) is shown
    complaint = [s for s in evidence.ecosystem.steps if s.step == "Complaint"]
    assert [[a.actor for a in s.actors] for s in complaint] == ([[JANE]] if shown else [])
    assessed = run("assess", "-w", str(workspace.path), "--json")
    assert ("Complaint" in assessed) is shown and (JANE in assessed) is shown
