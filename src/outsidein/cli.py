"""The ``outsidein`` command: parse, call one service, render.

Every command that reads a workspace takes ``--workspace DIR``; every command with ``--json``
prints exactly the object the Python API returns (``to_dict()``), so scripts and notebooks see
the same thing.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar, cast

import typer

if TYPE_CHECKING:
    from outsidein.core.readiness import AspectScore, ReadinessResult
    from outsidein.io.survey_exports import SourceFormat
    from outsidein.services.invitations import SurveyClosure

app = typer.Typer(
    name="outsidein",
    help="How well does a firm really understand its customers? Measured from the outside in.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
instrument_app = typer.Typer(
    help="The questionnaire: items, scales and texts.", no_args_is_help=True
)
import_app = typer.Typer(
    help="Import data into a workspace (all or nothing).", no_args_is_help=True
)
journeys_app = typer.Typer(help="Customer journeys from event logs.", no_args_is_help=True)
app.add_typer(instrument_app, name="instrument")
app.add_typer(import_app, name="import")
app.add_typer(journeys_app, name="journeys")
user_app = typer.Typer(help="Logins of the web product.", no_args_is_help=True)
data_app = typer.Typer(
    help="The customer data imported into a workspace: list, remove.", no_args_is_help=True
)
app.add_typer(data_app, name="data")
voice_app = typer.Typer(
    help="Customer voice: attributes and sentiment in text.", no_args_is_help=True
)
app.add_typer(voice_app, name="voice")
app.add_typer(user_app, name="user")
survey_app = typer.Typer(
    help="The staff survey in the browser: close it when the verdict is due, or reopen it.",
    no_args_is_help=True,
)
app.add_typer(survey_app, name="survey")

WorkspaceOption = Annotated[
    Path, typer.Option("--workspace", "-w", help="workspace folder (see `outsidein init`)")
]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of text")]
LanguageOption = Annotated[str, typer.Option("--language", help="en, fi or de")]

P = ParamSpec("P")
R = TypeVar("R")


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))


def handles_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the errors a user can fix into a clear message and a non-zero exit code.

    With ``--json`` the message is JSON on standard output too, for scripts: ``{"error":
    "rejected", "message": ..., "total": n, "problems": [{file, row, column, reason}]}`` for a
    refused file (exit code 1), ``{"error": "invalid", "message": ...}`` otherwise (2); the
    plain message still goes to standard error.
    """

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from outsidein.instruments import InstrumentError
        from outsidein.io.problems import ImportRejected
        from outsidein.io.voice_model import VoiceModelError
        from outsidein.services.workspace import WorkspaceError

        as_json = kwargs.get("as_json") is True
        try:
            return func(*args, **kwargs)
        except ImportRejected as exc:
            typer.echo(exc.summary(), err=True)
            if as_json:
                _print_json(
                    {
                        "error": "rejected",
                        "message": exc.summary().splitlines()[0],
                        "total": exc.total,
                        "problems": [problem.to_dict() for problem in exc.problems],
                    }
                )
            raise typer.Exit(code=1) from exc
        except (
            WorkspaceError, InstrumentError, VoiceModelError, FileNotFoundError, ValueError
        ) as exc:
            typer.echo(f"error: {exc}", err=True)
            if as_json:
                _print_json({"error": "invalid", "message": str(exc)})
            raise typer.Exit(code=2) from exc

    return wrapper


@app.command()
@handles_errors
def demo(
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="folder for the demo workspace")
    ] = Path("outsidein-demo"),
    seed: Annotated[int, typer.Option(help="seed of the generated firm")] = 7,
    language: LanguageOption = "en",
) -> None:
    """Generate the demo firm, assess it and write the report."""
    from outsidein.report.wording import plural, say, term
    from outsidein.services.demo import run_demo

    outcome = run_demo(workspace, seed=seed, language=language)
    language = outcome.result.language
    readiness = outcome.result.readiness
    stage = outcome.result.stage
    roles = ", ".join(
        say("cli.role_count", language, n=n, role=term("role", r, language))
        for r, n in sorted(outcome.imported.by_role.items())
    )
    typer.echo(
        say(
            "cli.staff_answered",
            language,
            firm=outcome.result.firm,
            n=outcome.imported.respondents,
            roles=roles,
        )
    )
    passed = say(
        "verdict.passed",
        language,
        passed=sum(a.passed for a in readiness.aspects),
        total=len(readiness.aspects),
    )
    typer.echo(f"{_readiness(readiness, language)} ({passed})")
    for aspect in readiness.failing:
        typer.echo(f"  - {aspect.reason}")
    blockers = len(stage.blockers)
    typer.echo(
        say("cli.demo_stage", language, level=stage.level, name=stage.names.get(stage.level, ""))
        + say(plural("cli.blockers", blockers), language, n=blockers, level=stage.level + 1)
    )
    typer.echo(say("cli.workspace", language, path=outcome.workspace.path))
    typer.echo(say("cli.report", language, path=outcome.report))


def _readiness(readiness: ReadinessResult, language: str) -> str:
    """The verdict, "readiness: not ready", in ``language``."""
    from outsidein.report.wording import say

    verdict = say(f"cli.{readiness.verdict}", language)
    return say("cli.readiness", language, verdict=verdict)


@app.command()
@handles_errors
def init(
    directory: Annotated[Path, typer.Argument(help="new or empty folder")],
    name: Annotated[str | None, typer.Option(help="the firm's name")] = None,
) -> None:
    """Create a new, empty workspace."""
    from outsidein.services.workspace import init_workspace

    ws = init_workspace(directory, name=name)
    typer.echo(f"workspace created: {ws.path}")


@instrument_app.command("show")
@handles_errors
def instrument_show(
    as_json: JsonOption = False,
    language: LanguageOption = "en",
    workspace: Annotated[
        Path | None, typer.Option("--workspace", "-w", help="include this firm's attributes")
    ] = None,
) -> None:
    """List every item: id, question, aspect, roles, side, scale, reverse key and text."""
    from outsidein.services.instrument import show_instrument

    items = show_instrument(workspace=workspace, language=language)
    if as_json:
        _print_json(items)
        return
    for item in items:
        flags = " (reverse)" if item["reverse"] else ""
        side = f" [{item['side']}]" if item["side"] else ""
        roles = ",".join(cast(list[str], item["roles"]))
        typer.echo(
            f"{item['id']:<28} {item['question']}-{item['aspect']}{side}{flags} "
            f"{item['scale_min']}–{item['scale_max']} {roles}: {item['text']}"
        )


@instrument_app.command("add")
@handles_errors
def instrument_add(
    file: Annotated[
        Path, typer.Argument(help="YAML: items: [{id, question, aspect, roles, text}]")
    ],
    workspace: WorkspaceOption,
) -> None:
    """Set the firm's own items (they join their aspect's scale)."""
    from outsidein.services.instrument import set_own_items

    count = set_own_items(workspace, file)
    typer.echo(f"{count} own items set")


@app.command()
@handles_errors
def attributes(
    workspace: WorkspaceOption,
    file: Annotated[
        Path | None,
        typer.Argument(
            help="YAML: attributes: [{id, name, description, dimension, examples, praise, "
            "complaints}]"
        ),
    ] = None,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export",
            help="write the current attributes (the defaults if the firm has none) to this "
            "YAML file instead, as a starting point to edit",
        ),
    ] = None,
) -> None:
    """Set the firm's own quality attributes (their belief items follow), or --export them."""
    from outsidein.services.instrument import export_quality_attributes, set_quality_attributes

    if (file is None) == (export is None):
        raise typer.BadParameter("give either an attributes FILE to set, or --export PATH")
    if export is not None:
        count, defaults = export_quality_attributes(workspace, export)
        which = "the default" if defaults else "the firm's"
        typer.echo(f"{count} quality attributes ({which}) written: {export}")
        return
    assert file is not None
    count = set_quality_attributes(workspace, file)
    typer.echo(f"{count} quality attributes set")


@import_app.command("responses")
@handles_errors
def import_responses(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX, one row per respondent")],
    workspace: WorkspaceOption,
    as_json: JsonOption = False,
) -> None:
    """Import staff answers: respondent_id, role, department, then one column per item id."""
    from outsidein.services.assessment import import_responses as run_import

    summary = run_import(workspace, file)
    if as_json:
        _print_json(summary.to_dict())
        return
    typer.echo(
        f"imported {summary.respondents} respondents ({summary.answers} answers) "
        f"from {summary.file}"
    )


ColumnOption = Annotated[str | None, typer.Option(help="column name in the file")]
ZoneOption = Annotated[
    str | None,
    typer.Option(
        "--timezone", help="IANA zone of timestamps written without one, e.g. Europe/Helsinki"
    ),
]
TimestampFormatOption = Annotated[
    str | None,
    typer.Option(
        help="strftime format of the timestamps, e.g. '%m/%d/%Y %H:%M' (needed when no "
        "date in the file tells day-first from month-first)"
    ),
]
SeparatorOption = Annotated[
    str | None,
    typer.Option(help="CSV field separator: ',', ';' or 'tab' (found from the header)"),
]


def _separator(given: str | None) -> str | None:
    return "\t" if given in ("tab", "\\t") else given



@import_app.command("events")
@handles_errors
def import_events(
    file: Annotated[Path, typer.Argument(help="event log: CSV, Parquet, XES or XES.gz")],
    workspace: WorkspaceOption,
    case: ColumnOption = None,
    activity: ColumnOption = None,
    timestamp: ColumnOption = None,
    actor: ColumnOption = None,
    channel: ColumnOption = None,
    lifecycle: ColumnOption = None,
    segment: ColumnOption = None,
    timezone: ZoneOption = None,
    timestamp_format: TimestampFormatOption = None,
    separator: SeparatorOption = None,
    reject_duplicates: Annotated[
        bool,
        typer.Option(
            help="reject the file when an event repeats in it or is already in the workspace, "
            "instead of leaving the repeat out"
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Import an event log of customer journeys (XES needs no column flags)."""
    from outsidein.services.journeys import import_events as run_import

    stored = run_import(
        workspace,
        file,
        case=case,
        activity=activity,
        timestamp=timestamp,
        actor=actor,
        channel=channel,
        lifecycle=lifecycle,
        segment=segment,
        default_timezone=timezone,
        timestamp_format=timestamp_format,
        separator=_separator(separator),
        duplicates="reject" if reject_duplicates else "drop",
    )
    if as_json:
        _print_json(stored.to_dict())
        return
    left_out = {
        "already in the workspace": stored.detail["already_stored"],
        "repeated in the file": stored.detail["duplicates_dropped"],
        "blank rows": stored.detail["blank_rows"],
    }
    skipped = "; ".join(f"{why}: {count}" for why, count in left_out.items() if count)
    typer.echo(
        f"imported {stored.rows} events of {stored.detail['cases']} journeys "
        f"from {stored.source} into {stored.path}" + (f" (left out, {skipped})" if skipped else "")
    )


FormatOption = Annotated[
    str | None,
    typer.Option(
        help="csv, xlsx, jsonl, parquet, qualtrics, limesurvey or googleforms "
        "(recognised from the file when left out)"
    ),
]
MappingOption = Annotated[
    Path | None, typer.Option(help="YAML mapping file: {format, columns, attributes, ...}")
]
ScaleOption = Annotated[tuple[float, float] | None, typer.Option(help="LOW HIGH")]


def _source_format(value: str | None) -> SourceFormat | None:
    from typing import get_args

    from outsidein.io.survey_exports import SourceFormat as Formats

    if value is None:
        return None
    if value not in get_args(Formats):
        raise typer.BadParameter(f"--format must be one of {', '.join(get_args(Formats))}")
    return cast("SourceFormat", value)


def _pairs(values: list[str] | None, flag: str) -> dict[str, str]:
    """``ID=COLUMN`` options into a mapping."""
    out: dict[str, str] = {}
    for value in values or []:
        key, sep, column = value.partition("=")
        if not sep or not key or not column:
            raise typer.BadParameter(f"{flag} takes ID=COLUMN, not {value!r}")
        out[key.strip()] = column.strip()
    return out


def _values(values: list[str] | None) -> dict[str, float | None] | None:
    """``--value LABEL=NUMBER|null`` options: answer labels of an export to numbers."""
    if not values:
        return None
    out: dict[str, float | None] = {}
    for label, number in _pairs(values, "--value").items():
        try:
            out[label] = None if number.lower() == "null" else float(number)
        except ValueError as exc:
            raise typer.BadParameter(f"--value {label}={number}: not a number") from exc
    return out


@import_app.command("feedback")
@handles_errors
def import_feedback(
    file: Annotated[Path, typer.Argument(help="feedback: CSV, XLSX, JSONL, Parquet or an export")],
    workspace: WorkspaceOption,
    text: ColumnOption = None,
    rating: ColumnOption = None,
    date: ColumnOption = None,
    segment: ColumnOption = None,
    id: ColumnOption = None,
    format: FormatOption = None,
    mapping: MappingOption = None,
    timezone: ZoneOption = None,
    date_format: Annotated[str | None, typer.Option(help="strftime format of dates")] = None,
    rating_scale: ScaleOption = None,
    value: Annotated[list[str] | None, typer.Option(help="LABEL=NUMBER|null")] = None,
    skip_empty_text: Annotated[bool, typer.Option(help="skip rows without text")] = False,
    keep_unfinished: Annotated[bool, typer.Option(help="keep unfinished responses")] = False,
    as_json: JsonOption = False,
) -> None:
    """Import customer feedback text (reviews, complaints, open answers), all or nothing."""
    from outsidein.services.customer import import_feedback as run_import

    summary = run_import(
        workspace,
        file,
        text=text,
        rating=rating,
        date=date,
        segment=segment,
        id=id,
        format=_source_format(format),
        mapping=mapping,
        timezone=timezone,
        date_format=date_format,
        rating_scale=rating_scale,
        values=_values(value),
        empty_text="skip" if skip_empty_text else None,
        keep_unfinished=keep_unfinished or None,
    )
    _print_summary(summary.to_dict(), as_json, "comments", zone_given=timezone is not None)


@import_app.command("customer-survey")
@handles_errors
def import_customer_survey(
    file: Annotated[
        Path, typer.Argument(help="customer survey: CSV, XLSX, JSONL, Parquet or an export")
    ],
    workspace: WorkspaceOption,
    attribute: Annotated[
        list[str] | None, typer.Option(help="ID=COLUMN: rating of an attribute")
    ] = None,
    importance: Annotated[
        list[str] | None, typer.Option(help="ID=COLUMN: stated importance")
    ] = None,
    overall: ColumnOption = None,
    nps: ColumnOption = None,
    csat: ColumnOption = None,
    segment: ColumnOption = None,
    date: ColumnOption = None,
    id: ColumnOption = None,
    format: FormatOption = None,
    mapping: MappingOption = None,
    timezone: ZoneOption = None,
    date_format: Annotated[str | None, typer.Option(help="strftime format of dates")] = None,
    rating_scale: ScaleOption = None,
    importance_scale: ScaleOption = None,
    overall_scale: ScaleOption = None,
    csat_scale: ScaleOption = None,
    value: Annotated[list[str] | None, typer.Option(help="LABEL=NUMBER|null")] = None,
    keep_unfinished: Annotated[bool, typer.Option(help="keep unfinished responses")] = False,
    as_json: JsonOption = False,
) -> None:
    """Import customers' ratings of the quality attributes, all or nothing."""
    from outsidein.services.customer import import_customer_survey as run_import

    summary = run_import(
        workspace,
        file,
        attributes=_pairs(attribute, "--attribute") or None,
        importance=_pairs(importance, "--importance") or None,
        overall=overall,
        nps=nps,
        csat=csat,
        segment=segment,
        date=date,
        id=id,
        format=_source_format(format),
        mapping=mapping,
        rating_scale=rating_scale,
        importance_scale=importance_scale,
        overall_scale=overall_scale,
        csat_scale=csat_scale,
        timezone=timezone,
        date_format=date_format,
        values=_values(value),
        keep_unfinished=keep_unfinished or None,
    )
    _print_summary(summary.to_dict(), as_json, "customers", zone_given=timezone is not None)


@import_app.command("voice-labels")
@handles_errors
def import_voice_labels(
    file: Annotated[
        Path,
        typer.Argument(
            help="labelled sentences: columns text, attributes (ids separated by ';') and "
            "optionally attribute_sentiment (id:polarity pairs); CSV, XLSX, JSONL or Parquet"
        ),
    ],
    workspace: WorkspaceOption,
    as_json: JsonOption = False,
) -> None:
    """Import the firm's labelled sentences, all or nothing; assess then learns from them."""
    from outsidein.services.customer import import_voice_labels as run_import

    _print_summary(run_import(workspace, file).to_dict(), as_json, "labelled sentences")


def _print_summary(
    summary: dict[str, object], as_json: bool, unit: str, *, zone_given: bool = True
) -> None:
    if as_json:
        _print_json(summary)
        return
    typer.echo(f"imported {summary['rows']} {unit} from {summary['source']} into {summary['path']}")
    # what the import assumed or left out, so that a wrong guess is seen at once
    scales = summary.get("scales")
    if isinstance(scales, dict) and scales:
        read = ", ".join(
            f"{key.removesuffix('_scale')} on {low:g}–{high:g}"
            for key, (low, high) in scales.items()
        )
        typer.echo(f"  scales: {read}")
    zone = summary.get("timezone")
    if zone:
        # UTC is also what is read where no zone is given: say how to read local times
        local = not zone_given and zone == "UTC"
        hint = " (if they were local times, say --timezone)" if local else ""
        typer.echo(f"  dates read in {zone}{hint}")
    skipped = summary.get("skipped")
    if isinstance(skipped, dict) and any(skipped.values()):
        left = ", ".join(f"{n} {reason}" for reason, n in skipped.items() if n)
        typer.echo(f"  rows left out: {left}")
    if summary.get("generated_ids"):
        typer.echo("  no id column: each row's id is made from the file and its row number")


@journeys_app.command("analyze")
@handles_errors
def journeys_analyze(
    file: Annotated[Path, typer.Argument(help="event log: CSV, Parquet, XES or XES.gz")],
    out: Annotated[Path, typer.Option("--out", help="folder for summary.json")],
    case: ColumnOption = None,
    activity: ColumnOption = None,
    timestamp: ColumnOption = None,
    actor: ColumnOption = None,
    channel: ColumnOption = None,
    lifecycle: ColumnOption = None,
    segment: ColumnOption = None,
    timezone: ZoneOption = None,
    timestamp_format: TimestampFormatOption = None,
    separator: SeparatorOption = None,
    model: Annotated[Path | None, typer.Option("--model", help="staff's journey YAML")] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="also per 'segment' or per entry 'channel'")
    ] = None,
) -> None:
    """Analyse an event log without a workspace; writes OUT/summary.json."""
    from outsidein.services.journeys import analyze_event_file, write_summary

    if by not in (None, "segment", "channel"):
        raise typer.BadParameter("--by takes segment or channel")
    analysis = analyze_event_file(
        file,
        case=case,
        activity=activity,
        timestamp=timestamp,
        actor=actor,
        channel=channel,
        lifecycle=lifecycle,
        segment=segment,
        model_path=model,
        default_timezone=timezone,
        timestamp_format=timestamp_format,
        separator=_separator(separator),
        by="segment" if by == "segment" else "channel" if by == "channel" else None,
    )
    target = write_summary(analysis, out)
    summary = analysis.to_dict()
    typer.echo(
        f"{summary['cases']} journeys, {summary['events']} events, "
        f"{summary['variants']} variants"
        + (f", fitness {summary['fitness']:.3f}" if summary.get("fitness") is not None else "")
    )
    typer.echo(f"summary: {target}")


@journeys_app.command("model")
@handles_errors
def journeys_model(
    file: Annotated[Path, typer.Argument(help="the journey staff believe customers take (YAML)")],
    workspace: WorkspaceOption,
) -> None:
    """Keep the staff's journey model in the workspace (held against the event log)."""
    from outsidein.services.journeys import set_journey_model

    steps = set_journey_model(workspace, file)
    typer.echo(f"journey model with {steps} steps stored")


@app.command()
@handles_errors
def assess(
    workspace: WorkspaceOption,
    as_json: JsonOption = False,
    language: LanguageOption = "en",
) -> None:
    """Score readiness (12 aspects) and the stage of outside-in."""
    from outsidein.core.evidence import QualityEvidence
    from outsidein.report.text import quality_lines, readiness_summary, role_cell
    from outsidein.report.wording import say
    from outsidein.services.assessment import assess as run_assess

    result = run_assess(workspace, language=language)
    if as_json:
        _print_json(result.to_dict())
        return
    language = result.language
    readiness = result.readiness
    if not readiness.answered:
        typer.echo(say("cli.no_answers", language, firm=result.firm))
        _echo_closed(result.closed_at, language)
        quality = result.sections.get("quality")
        if isinstance(quality, QualityEvidence):
            for line in quality_lines(quality, language):
                typer.echo(line)
        return
    typer.echo(f"{result.firm} — {_readiness(readiness, language)}")
    _echo_closed(result.closed_at, language)
    typer.echo(f"  {readiness_summary(readiness, language)}")
    for a in readiness.aspects:
        role = role_cell(a.role, language)
        typer.echo(f"  {a.question}-{a.aspect} {role} {_aspect_cells(a, language)}")
    for a in readiness.failing:
        typer.echo(f"  ✗ {a.reason}")
    stage = result.stage
    typer.echo(say("cli.stage", language, level=stage.level, name=stage.names.get(stage.level, "")))
    for b in stage.blockers:
        typer.echo(
            "  "
            + say("cli.blocks", language, level=stage.level + 1, indicator=b.text, detail=b.detail)
        )
    quality = result.sections.get("quality")
    if isinstance(quality, QualityEvidence):
        for line in quality_lines(quality, language):
            typer.echo(line)


def _aspect_cells(a: AspectScore, language: str) -> str:
    """An aspect's status, score and parity: the status as its id in English (what scripts
    reading this column have always seen), in words in other languages."""
    from typing import get_args

    from outsidein.core.readiness import AspectStatus
    from outsidein.report.wording import say, status

    words = {s: s if language == "en" else status(s, language) for s in get_args(AspectStatus)}
    width = max(14, *(len(w) + 1 for w in words.values()))
    score = (
        status("suppressed", language)
        if a.score is None
        else (f"{a.score.estimate:.2f} [{a.score.low:.2f}–{a.score.high:.2f}] n={a.n}")
    )
    parity = (
        ""
        if a.parity is None
        else (
            f" {say('grid.parity', language)} "
            f"{a.parity.estimate:.2f} [{a.parity.low:.2f}–{a.parity.high:.2f}]"
        )
    )
    return f"{words.get(a.status, a.status):<{width}} {score}{parity}"


def _echo_closed(closed_at: str | None, language: str) -> None:
    from outsidein.report.wording import say

    if closed_at is not None:
        typer.echo("  " + say("cli.closed", language, when=closed_at))


def _counted(n: int, noun: str) -> str:
    """``1 row``, ``2 rows``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@app.command()
@handles_errors
def report(
    workspace: WorkspaceOption,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="HTML file to write")] = None,
    language: LanguageOption = "en",
) -> None:
    """Write the self-contained HTML report."""
    from outsidein.services.assessment import write_report

    path = write_report(workspace, out, language=language)
    typer.echo(f"report: {path}")


@voice_app.command("tag")
@handles_errors
def voice_tag(
    file: Annotated[Path, typer.Argument(help="comments: CSV, XLSX, JSONL or Parquet")],
    text: Annotated[str, typer.Option("--text", help="the column holding the text")],
    attributes: Annotated[Path, typer.Option("--attributes", help="attrs.yaml")],
    out: Annotated[Path, typer.Option("--out", help="OUT.csv")],
    train: Annotated[
        Path | None,
        typer.Option(
            "--train",
            help="LABELLED.csv: text, attributes (ids separated by ;) and optionally "
            "attribute_sentiment (id:polarity pairs separated by ;)",
        ),
    ] = None,
) -> None:
    """Tag each comment with quality attributes and sentiment; no workspace needed."""
    from outsidein.services.voice import tag_file

    summary = tag_file(
        file, text_column=text, attributes_path=attributes, train_path=train, out_path=out
    )
    from outsidein.report.text import customer_words_lines

    counts = (
        _counted(summary.rows, "row"),
        _counted(summary.sentences, "sentence"),
        f"{_counted(summary.tagged_rows, 'row')} tagged",
    )
    typer.echo(f"{', '.join(counts)}; {summary.note}")
    words = customer_words_lines(summary.words)
    if len(words) > 1:  # some group large enough to show
        typer.echo("\n".join(words))
    typer.echo(f"written: {summary.out_path}")


@app.command()
@handles_errors
def serve(
    workspace: WorkspaceOption,
    port: Annotated[int, typer.Option(help="TCP port on the host")] = 8000,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    workers: Annotated[int, typer.Option(help="processes (1 for SQLite)")] = 1,
    threads: Annotated[int, typer.Option(help="threads per process")] = 8,
) -> None:
    """Serve the web product (survey, dashboards, insight hub, API) on the workspace."""
    from outsidein.services.server import serve as run_server

    typer.echo(f"outsidein on http://{host}:{port}/ (Ctrl+C stops it)")
    run_server(workspace, port=port, host=host, workers=workers, threads=threads)


@survey_app.command("close")
@handles_errors
def survey_close(workspace: WorkspaceOption, as_json: JsonOption = False) -> None:
    """Close the survey: its links take no more answers; answers received stay counted."""
    from outsidein.services.assessment import set_workspace_survey_closed

    _print_closure(set_workspace_survey_closed(workspace, closed=True), as_json)


@survey_app.command("reopen")
@handles_errors
def survey_reopen(workspace: WorkspaceOption, as_json: JsonOption = False) -> None:
    """Reopen a closed survey: unused links and saved drafts work again."""
    from outsidein.services.assessment import set_workspace_survey_closed

    _print_closure(set_workspace_survey_closed(workspace, closed=False), as_json)


def _print_closure(outcome: SurveyClosure, as_json: bool) -> None:
    if as_json:
        _print_json(outcome.to_dict())
        return
    typer.echo(outcome.message)


@user_app.command("create")
@handles_errors
def user_create(
    workspace: WorkspaceOption,
    username: Annotated[str, typer.Option(help="login name")],
    role: Annotated[str, typer.Option(help="owner, analyst or viewer")] = "owner",
    email: Annotated[str, typer.Option(help="e-mail address")] = "",
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="OUTSIDEIN_PASSWORD",
            help="asked for when left out",
        ),
    ] = "",
) -> None:
    """Create a login for the workspace's organisation (the first owner is also admin)."""
    from outsidein.services.server import add_user, create_owner

    if role == "owner":
        create_owner(workspace, username=username, password=password, email=email)
    else:
        add_user(workspace, username=username, password=password, email=email, role=role)
    typer.echo(f"user {username} ({role}) created")


@data_app.command("list")
@handles_errors
def data_list(workspace: WorkspaceOption, as_json: JsonOption = False) -> None:
    """Every import of customer data (feedback, surveys, event logs, labelled sentences)."""
    from outsidein.services.datasets import list_datasets
    from outsidein.services.workspace import open_workspace

    found = list_datasets(open_workspace(workspace))
    if as_json:
        _print_json([d.to_dict() for d in found])
        return
    if not found:
        typer.echo("no customer data imported yet")
    for d in found:
        typer.echo(
            f"{d.id:>5}  {d.kind:<16} {d.rows:>9} rows  "
            f"{d.imported_at:%Y-%m-%d %H:%M}  {d.source_name}"
        )


@data_app.command("remove")
@handles_errors
def data_remove(
    dataset: Annotated[int, typer.Argument(help="the id `outsidein data list` shows")],
    workspace: WorkspaceOption,
    yes: Annotated[bool, typer.Option("--yes", help="do not ask")] = False,
) -> None:
    """Remove one import (to import it again with other options)."""
    from outsidein.services.datasets import list_datasets, remove_dataset
    from outsidein.services.workspace import open_workspace

    ws = open_workspace(workspace)
    known = {d.id: d for d in list_datasets(ws)}
    if dataset in known and not yes:
        d = known[dataset]
        typer.confirm(f"remove {d.kind} {d.source_name!r} ({d.rows} rows)?", abort=True)
    removed = remove_dataset(ws, dataset)
    typer.echo(f"removed {removed.kind} {removed.source_name!r} ({removed.rows} rows)")


def main(argv: list[str] | None = None) -> Any:
    """Entry point of the ``outsidein`` console script."""
    return app(args=argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
