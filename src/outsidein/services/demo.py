"""The main job on the embedded default: generate the demo firm, store it, assess, report."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from outsidein.core.assessment import AssessmentResult
from outsidein.demo import FIRM_NAME, generate_demo_firm
from outsidein.demo.customers import (
    COMPLAINTS,
    CUSTOMER_VIEW,
    EXAMPLES,
    PRAISE,
    generate_customer_survey,
    generate_feedback,
)
from outsidein.demo.journeys import STAFF_MODEL_YAML, generate_event_log
from outsidein.instruments import default_attributes
from outsidein.services.assessment import (
    ImportSummary,
    assess,
    import_responses,
    workspace_instrument,
    write_report,
)
from outsidein.services.customer import import_customer_survey, import_feedback
from outsidein.services.journeys import import_events, set_journey_model
from outsidein.services.workspace import (
    CONFIG_NAME,
    Workspace,
    WorkspaceError,
    close_workspace,
    init_workspace,
)

DEFAULT_DEMO_DIR = Path("outsidein-demo")


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoOutcome:
    workspace: Workspace
    report: Path
    imported: ImportSummary
    result: AssessmentResult
    findings: tuple[str, ...]


def _clear_previous_demo(root: Path) -> None:
    """Remove a workspace made by an earlier ``outsidein demo``; refuse anything else."""
    if not root.exists():
        return
    config = root / CONFIG_NAME
    if config.is_file():
        try:
            is_demo = bool(json.loads(config.read_text(encoding="utf-8")).get("demo"))
        except ValueError:
            is_demo = False
        if is_demo:
            close_workspace(root)
            shutil.rmtree(root)
            return
    if root.is_dir() and not any(root.iterdir()):
        return
    raise WorkspaceError(
        f"{root} exists and is not a demo workspace; choose another folder with --workspace"
    )


def run_demo(
    workspace: Path | str | None = None, *, seed: int = 7, language: str = "en"
) -> DemoOutcome:
    """Generate the seeded demo firm into a fresh workspace, assess it and write the report,
    in ``language`` (en, fi or de)."""
    root = Path(workspace) if workspace is not None else DEFAULT_DEMO_DIR
    root = root.expanduser().resolve()
    _clear_previous_demo(root)
    ws = init_workspace(root, name=FIRM_NAME, demo=True)
    from outsidein.store import queries

    queries.replace_quality_attributes(
        ws.alias,
        ws.organisation,
        [
            replace(
                a,
                examples={**a.examples, "en": EXAMPLES.get(a.id, ())},
                praise={**a.praise, "en": PRAISE.get(a.id, ())},
                complaints={**a.complaints, "en": COMPLAINTS.get(a.id, ())},
            )
            for a in default_attributes()
        ],
    )
    firm = generate_demo_firm(workspace_instrument(ws), seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "nordlicht-staff-survey.csv"
        firm.responses.write_csv(staged)
        imported = import_responses(ws, staged)
        log = Path(tmp) / "nordlicht-shipments.parquet"
        generate_event_log(seed=seed + 6).write_parquet(log)
        import_events(ws, log, actor="actor", channel="channel", segment="segment")
        survey = Path(tmp) / "nordlicht-customer-survey.csv"
        generate_customer_survey(seed=seed + 4).write_csv(survey)
        import_customer_survey(
            ws,
            survey,
            id="customer_id",
            date="date",
            segment="segment",
            overall="overall",
            nps="nps",
            attributes={a: a for a in CUSTOMER_VIEW},
            importance={a: f"importance__{a}" for a in CUSTOMER_VIEW},
        )
        feedback = Path(tmp) / "nordlicht-feedback.csv"
        generate_feedback(seed=seed + 5).write_csv(feedback)
        import_feedback(
            ws,
            feedback,
            id="comment_id",
            text="text",
            rating="rating",
            date="date",
            segment="segment",
        )
        model = Path(tmp) / "staff-journey-model.yaml"
        model.write_text(STAFF_MODEL_YAML, encoding="utf-8")
        set_journey_model(ws, model)
    result = assess(ws, language=language)
    report = write_report(ws, result=result, language=language)
    return DemoOutcome(
        workspace=ws, report=report, imported=imported, result=result, findings=firm.findings
    )
