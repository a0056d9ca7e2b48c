"""The command line, end to end on real workspaces."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

from outsidein.cli import app
from outsidein.instruments import default_attributes, load_instrument, parse_attributes
from outsidein.io.voice_files import read_attributes
from outsidein.report.wording import MESSAGES, say

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_demo_as_a_user_runs_it(tmp_path: Path) -> None:
    """The README's main job, as a fresh process in an empty folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "OUTSIDEIN_WORKSPACE")}
    done = subprocess.run(
        [sys.executable, "-m", "outsidein.cli", "demo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Nordlicht Logistics: 293 staff answered (43 manager, 250 operational)" in done.stdout
    assert "readiness: not ready (7 of 12 aspects pass)" in done.stdout
    report = tmp_path / "outsidein-demo" / "reports" / "report.html"
    assert f"report: {report}" in done.stdout
    assert report.stat().st_size > 1_000_000  # plotly.js is inlined
    again = subprocess.run(
        [sys.executable, "-m", "outsidein.cli", "demo", "--seed", "8"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stderr  # a demo workspace is replaced, not refused


def test_a_workspace_without_answers_gives_no_verdict(tmp_path: Path) -> None:
    ws = tmp_path / "firm"
    assert run("init", str(ws), "--name", "Acme GmbH")[0] == 0
    code, out, _ = run("assess", "--workspace", str(ws))
    assert code == 0
    assert out.startswith("Acme GmbH — no staff answers yet: import them")
    assert "not ready" not in out and "stage" not in out and "✗" not in out
    code, out, _ = run("assess", "--workspace", str(ws), "--json")
    readiness = json.loads(out)["readiness"]
    assert readiness["answered"] is False and readiness["summary"] == "No staff answers yet."
    assert all(json.loads(out)[k] is None for k in ("quality", "process", "ecosystem"))
    assert run("report", "--workspace", str(ws))[0] == 0
    html = (ws / "reports" / "report.html").read_text(encoding="utf-8")
    assert "No staff answers yet" in html and "Not ready" not in html


def test_demo_refuses_to_overwrite_a_real_workspace(tmp_path: Path) -> None:
    code, _, _ = run("init", str(tmp_path / "firm"))
    assert code == 0
    code, _, err = run("demo", "--workspace", str(tmp_path / "firm"))
    assert code == 2
    assert "not a demo workspace" in err


def test_instrument_show_json_lists_every_item() -> None:
    code, out, _ = run("instrument", "show", "--json")
    assert code == 0
    items = json.loads(out)
    assert len(items) == len(load_instrument().items)
    first = items[0]
    assert set(first) >= {
        "id",
        "question",
        "aspect",
        "roles",
        "side",
        "scale_min",
        "scale_max",
        "reverse",
        "text",
    }
    by_id = {i["id"]: i for i in items}
    assert by_id["pu1_cust"]["side"] == "customer" and by_id["pu1_own"]["side"] == "own"
    assert by_id["pm3"]["reverse"] is True
    assert by_id["po5"]["roles"] == ["operational"]
    assert by_id["st2_1"]["question"] == "stage" and by_id["st2_1"]["aspect"] == "2"
    assert by_id["bi_imp__reliability"]["question"] == "belief"
    assert {i["question"] for i in items} == {"P", "Q", "stage", "belief"}
    code, out, _ = run("instrument", "show", "--json", "--language", "fi")
    assert json.loads(out)[0]["text"].startswith("Tiedämme")


def test_import_assess_report_cycle(tmp_path: Path) -> None:
    from tests.core.simulation import simulate

    ws = tmp_path / "acme"
    assert run("init", str(ws), "--name", "Acme GmbH")[0] == 0
    answers = tmp_path / "answers.csv"
    simulate(load_instrument(), seed=3, managers=10, operational=25).write_csv(answers)
    code, out, _ = run("import", "responses", str(answers), "--workspace", str(ws))
    assert code == 0 and "imported 35 respondents" in out
    code, out, _ = run("assess", "--workspace", str(ws), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["readiness"]["verdict"] in ("ready", "not_ready")
    assert len(data["readiness"]["aspects"]) == 12
    aspect = data["readiness"]["aspects"][0]
    assert set(aspect) >= {
        "question",
        "aspect",
        "role",
        "score",
        "ci_low",
        "ci_high",
        "n",
        "parity",
        "passed",
        "reason",
    }
    assert 1 <= data["stage"]["level"] <= 4 and isinstance(data["stage"]["blockers"], list)
    assert set(data["reliability"]["P-M"]) >= {"alpha", "omega"}
    assert {(a["question"], a["aspect"], a["role"]) for a in data["agreement"]} == {
        (a["question"], a["aspect"], a["role"]) for a in data["readiness"]["aspects"]
    }
    code, out, _ = run("assess", "--workspace", str(ws))
    assert code == 0 and "Acme GmbH — readiness" in out
    code, out, _ = run("report", "--workspace", str(ws), "--out", str(tmp_path / "r.html"))
    assert code == 0 and (tmp_path / "r.html").is_file()


def test_bad_import_exits_non_zero_and_lists_problems(tmp_path: Path) -> None:
    ws = tmp_path / "acme"
    run("init", str(ws))
    bad = tmp_path / "bad.csv"
    bad.write_text("respondent_id,role,department,pm1,zz\n1,chef,Sales,9,1\n", encoding="utf-8")
    code, _, err = run("import", "responses", str(bad), "--workspace", str(ws))
    assert code == 1
    assert "nothing was stored" in err
    assert "bad.csv, row 1, column 'zz': unknown item id" in err


def test_missing_workspace_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run("assess", "--workspace", str(tmp_path / "nope"))
    assert code == 2
    assert "not an outsidein workspace" in err


def test_firm_defines_its_own_attributes(tmp_path: Path) -> None:
    ws = tmp_path / "acme"
    run("init", str(ws))
    attrs = tmp_path / "attrs.yaml"
    attrs.write_text(
        "attributes:\n"
        "  - id: on_time\n    name: {en: on-time delivery, fi: toimitusvarmuus}\n"
        "    description: Delivered when promised\n    dimension: functional\n"
        "  - id: damage_free\n    name: goods arrive undamaged\n    dimension: technical\n",
        encoding="utf-8",
    )
    code, out, _ = run("attributes", str(attrs), "--workspace", str(ws))
    assert code == 0 and "2 quality attributes set" in out
    code, out, _ = run("instrument", "show", "--json", "--workspace", str(ws))
    ids = {i["id"] for i in json.loads(out)}
    assert {"bi_imp__on_time", "bi_perf__on_time", "bi_imp__damage_free"} <= ids
    assert "bi_imp__reliability" not in ids
    bad = tmp_path / "bad.yaml"
    bad.write_text("attributes:\n  - id: Bad Id\n    dimension: technical\n", encoding="utf-8")
    code, _, err = run("attributes", str(bad), "--workspace", str(ws))
    assert code == 2 and "must be lowercase" in err


def test_attributes_export_round_trips_as_a_starting_point(tmp_path: Path) -> None:
    ws = tmp_path / "acme"
    run("init", str(ws))
    exported = tmp_path / "attrs.yaml"
    code, out, _ = run("attributes", "--export", str(exported), "--workspace", str(ws))
    assert code == 0 and "10 quality attributes (the default) written" in out
    document = yaml.safe_load(exported.read_text(encoding="utf-8"))
    assert parse_attributes(document, source="attrs.yaml") == default_attributes()
    # the firm edits it (its own complaint, one attribute fewer) and sets it
    del document["attributes"][-1]
    document["attributes"][0]["complaints"]["en"].append("late delivery")
    exported.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    code, out, _ = run("attributes", str(exported), "--workspace", str(ws))
    assert code == 0 and "9 quality attributes set" in out
    again = tmp_path / "again.yaml"
    code, out, _ = run("attributes", "--export", str(again), "--workspace", str(ws))
    assert code == 0 and "9 quality attributes (the firm's) written" in out
    assert yaml.safe_load(again.read_text(encoding="utf-8")) == document
    # the standalone tagger reads the same file
    (attribute, *_) = read_attributes(again)
    english = attribute.complaints[: len(document["attributes"][0]["complaints"]["en"])]
    assert english[-1] == "late delivery"
    code, _, err = run("attributes", "--workspace", str(ws))
    assert code == 2 and "either an attributes FILE" in err


def test_voice_tag_prints_what_customers_say_in_their_words(tmp_path: Path) -> None:
    comments = tmp_path / "comments.csv"
    comments.write_text(
        "comment\n"
        + "The driver was rude and careless.\n" * 6
        + "The driver was friendly.\n" * 6
        + "The driver was rude.\n",  # one more comment for the complaints
        encoding="utf-8",
    )
    attrs = tmp_path / "attrs.yaml"
    attrs.write_text(
        "attributes:\n"
        "  - {id: courtesy, name: Courtesy, dimension: functional,\n"
        "     praise: [friendly driver], complaints: [rude agent]}\n",
        encoding="utf-8",
    )
    out = tmp_path / "tagged.csv"
    code, printed, _ = run(
        "voice", "tag", str(comments), "--text", "comment", "--attributes", str(attrs),
        "--out", str(out),
    )  # fmt: skip
    assert code == 0, printed
    words = printed[printed.index("in customers' words (groups of at least 5 comments):") :]
    complaints = next(line for line in words.splitlines() if "complained about with" in line)
    assert "rude" in complaints and "careless" in complaints
    # "rude" is in the firm's complaints; "careless" is the customers' word alone
    assert complaints.endswith("(not in our definition: careless)"), complaints


def test_user_create_and_bad_role(tmp_path: Path) -> None:
    ws = tmp_path / "acme"
    run("init", str(ws))
    result = runner.invoke(
        app,
        ["user", "create", "-w", str(ws), "--username", "anna"],
        env={"OUTSIDEIN_PASSWORD": "Correct-horse-42"},
    )
    assert result.exit_code == 0 and "user anna (owner) created" in result.stdout
    result = runner.invoke(
        app,
        ["user", "create", "-w", str(ws), "--username", "bo", "--role", "king"],
        env={"OUTSIDEIN_PASSWORD": "Correct-horse-42"},
    )
    assert result.exit_code == 2 and "role must be owner, analyst or viewer" in result.stderr


def test_firm_adds_its_own_items(tmp_path: Path) -> None:
    ws = tmp_path / "acme"
    run("init", str(ws))
    items = tmp_path / "items.yaml"
    items.write_text(
        "items:\n"
        "  - id: acme_qo_claims\n    question: Q\n    aspect: O\n    roles: [operational]\n"
        "    text: {en: We check every claim against what the customer expected., "
        "fi: Tarkistamme jokaisen reklamaation asiakkaan odotuksia vasten.}\n",
        encoding="utf-8",
    )
    code, out, _ = run("instrument", "add", str(items), "--workspace", str(ws))
    assert code == 0 and "1 own items set" in out
    code, out, _ = run("instrument", "show", "--json", "--workspace", str(ws))
    own = next(i for i in json.loads(out) if i["id"] == "acme_qo_claims")
    assert own["question"] == "Q" and own["aspect"] == "O" and own["roles"] == ["operational"]
    answers = tmp_path / "a.csv"
    answers.write_text(
        "respondent_id,role,department,acme_qo_claims\nx,operational,Ops,6\n", encoding="utf-8"
    )
    code, out, _ = run("import", "responses", str(answers), "--workspace", str(ws))
    assert code == 0, out
    clash = tmp_path / "clash.yaml"
    clash.write_text(
        "items:\n  - id: pm1\n    question: P\n    aspect: M\n    text: again\n", encoding="utf-8"
    )
    code, _, err = run("instrument", "add", str(clash), "--workspace", str(ws))
    assert code == 2 and "duplicate item id 'pm1'" in err


def test_journeys_analyze_writes_the_documented_summary(tmp_path: Path, shared_data: Path) -> None:
    model = Path(__file__).parent / "data" / "journeys" / "running_example_model.yaml"
    xes = shared_data / "pm4py_running_example" / "running-example.xes"
    code, _, err = run(
        "journeys", "analyze", str(xes), "--model", str(model), "--out", str(tmp_path / "out")
    )
    assert code == 0, err
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert (summary["cases"], summary["events"], summary["activities"]) == (6, 42, 8)
    # six journeys, no path or arc that five of them share: counted, never drawn (anonymity)
    assert summary["variants"] == len(summary["top_variants"]) + summary["rare_variants"][
        "variants"
    ]
    assert summary["edges"] == [] and summary["hidden_edges"] == 16
    assert {"median", "p90"} == set(summary["throughput_seconds"])
    assert 0 < summary["fitness"] <= 1
    for key in ("unknown_activities", "skipped_steps", "deviations"):
        assert isinstance(summary[key], list)


def test_journeys_analyze_reads_a_us_log_with_the_format_it_is_told(tmp_path: Path) -> None:
    log = tmp_path / "us.csv"
    log.write_text(
        "case_id\tactivity\ttimestamp\n"
        + "".join(
            f"c{i}\tQuote\t01/02/2026 10:00 AM\nc{i}\tOrder\t01/03/2026 11:00 AM\n"
            for i in range(5)  # five journeys: fewer would show no time (anonymity)
        ),
        encoding="utf-8",
    )
    where = ["--out", str(tmp_path / "out"), "--timezone", "America/Chicago"]
    code, _, err = run("journeys", "analyze", str(log), *where)
    assert code == 1 and "--timestamp-format" in err  # 01/02: January 2nd or February 1st?
    code, _, err = run(
        "journeys", "analyze", str(log), *where,
        "--timestamp-format", "%m/%d/%Y %I:%M %p", "--separator", "tab",
    )  # fmt: skip
    assert code == 0, err
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["throughput_seconds"]["median"] == 86400 + 3600  # Jan 2 10:00 to Jan 3 11:00


def test_import_events_all_or_nothing(tmp_path: Path) -> None:
    ws = tmp_path / "acme"
    run("init", str(ws))
    log = tmp_path / "log.csv"
    log.write_text(
        "id,step,at,who\n"
        "c1,Order,2026-01-05T10:00:00+02:00,customer\n"
        "c1,Ship,2026-01-06T09:00:00+02:00,Warehouse\n"
        "c2,Order,not a date,customer\n",
        encoding="utf-8",
    )
    flags = ["--case", "id", "--activity", "step", "--timestamp", "at", "--actor", "who"]
    code, _, err = run("import", "events", str(log), "--workspace", str(ws), *flags)
    assert code == 1 and "row 4" in err and "'at'" in err
    assert not list((ws / "data").rglob("*.parquet"))
    log.write_text(
        log.read_text(encoding="utf-8").replace("not a date", "2026-01-07T08:00:00Z"),
        encoding="utf-8",
    )
    code, out, err = run("import", "events", str(log), "--workspace", str(ws), *flags, "--json")
    assert code == 0, err
    stored = json.loads(out)
    assert stored["rows"] == 3 and stored["cases"] == 2
    code, out, _ = run("assess", "--workspace", str(ws), "--json")
    ecosystem = json.loads(out)["ecosystem"]
    # two journeys and no journey model: no step is listed, only counted (anonymity)
    assert ecosystem["steps"] == [] and ecosystem["hidden_steps"] == 2


def test_assess_learns_from_the_firms_labelled_sentences(tmp_path: Path) -> None:
    from tests.core.simulation import simulate

    ws = tmp_path / "acme"
    assert run("init", str(ws))[0] == 0
    answers = tmp_path / "answers.csv"
    simulate(load_instrument(), seed=3, managers=10, operational=25).write_csv(answers)
    assert run("import", "responses", str(answers), "--workspace", str(ws))[0] == 0
    feedback = Path(__file__).parent / "data" / "customer" / "survey.jsonl"
    assert (
        run("import", "feedback", str(feedback), "--workspace", str(ws), "--text", "comment")[0]
        == 0
    )
    code, out, _ = run("assess", "--workspace", str(ws), "--json")
    assert code == 0 and json.loads(out)["quality"]["voice"]["method"].startswith("zero-shot")
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "text,attributes\n"
        "The truck was late again.,reliability\n"
        "Friendly driver.,courtesy\n"
        "Order 4471 sent on Monday.,\n",
        encoding="utf-8",
    )
    code, out, _ = run("import", "voice-labels", str(labels), "--workspace", str(ws))
    assert code == 0 and "imported 3 labelled sentences from labels.csv" in out
    code, _, err = run("import", "voice-labels", str(labels), "--workspace", str(ws))
    assert code == 1 and "already imported" in err
    code, out, _ = run("assess", "--workspace", str(ws), "--json")
    method = json.loads(out)["quality"]["voice"]["method"]
    assert method.startswith("few-shot tagging") and "learned from 3 labelled sentences" in method
    # the firm redefines its attributes: the stored labels of the old ones are left out, named
    attrs = tmp_path / "attrs.yaml"
    attrs.write_text(
        "attributes:\n"
        "  - {id: speed, name: Speed, description: How fast it arrives., dimension: technical}\n"
        "  - {id: people, name: People, description: Our staff., dimension: functional}\n",
        encoding="utf-8",
    )
    assert run("attributes", str(attrs), "--workspace", str(ws))[0] == 0
    code, out, _ = run("assess", "--workspace", str(ws), "--json")
    method = json.loads(out)["quality"]["voice"]["method"]
    assert code == 0 and method.startswith("zero-shot")
    assert method.endswith("no longer has were left out: courtesy, reliability")


def test_an_import_with_the_wrong_options_is_removed_and_done_again(tmp_path: Path) -> None:
    ws = tmp_path / "acme"
    assert run("init", str(ws))[0] == 0
    comments = tmp_path / "reviews.csv"
    comments.write_text("id,comment,stars\n1,Late again,2\n2,Friendly driver,5\n", "utf-8")
    flags = ["--workspace", str(ws), "--text", "comment", "--id", "id"]
    code, out, _ = run("import", "feedback", str(comments), *flags)  # forgot --rating
    assert code == 0 and out.splitlines()[1:] == []  # nothing assumed: no scale, date, id made
    code, _, err = run("import", "feedback", str(comments), *flags, "--rating", "stars")
    assert code == 1 and "already stored" in err
    code, out, _ = run("data", "list", "--workspace", str(ws), "--json")
    [stored] = json.loads(out)
    assert (stored["kind"], stored["source_name"], stored["rows"]) == ("feedback", "reviews.csv", 2)
    code, _, err = run("data", "remove", "999", "--workspace", str(ws), "--yes")
    assert code != 0 and "no dataset 999" in err
    code, out, _ = run("data", "remove", str(stored["id"]), "--workspace", str(ws), "--yes")
    assert code == 0 and "removed feedback 'reviews.csv' (2 rows)" in out
    assert list((ws / "data").rglob("*.parquet")) == []
    code, out, _ = run("import", "feedback", str(comments), *flags, "--rating", "stars")
    assert code == 0 and out.splitlines()[1:] == ["  scales: rating on 1–5"]
    code, out, _ = run("data", "list", "--workspace", str(ws))
    assert out.count("reviews.csv") == 1
    # what an import assumed is said: the time zone of dates, ids made from the file
    dated = tmp_path / "dated.csv"
    dated.write_text("comment,when\nLost parcel,2024-03-01\n", "utf-8")
    code, out, _ = run(
        "import", "feedback", str(dated), "--workspace", str(ws), "--text", "comment",
        "--date", "when",
    )
    assert code == 0 and out.splitlines()[1:] == [
        "  dates read in UTC (if they were local times, say --timezone)",
        "  no id column: each row's id is made from the file and its row number",
    ]


def test_survey_close_and_reopen_show_in_assess_and_the_report(tmp_path: Path) -> None:
    ws = tmp_path / "firm"
    assert run("init", str(ws), "--name", "Acme GmbH")[0] == 0
    code, out, _ = run("survey", "close", "--workspace", str(ws))
    assert code == 0
    assert out.startswith("The survey of 'Readiness assessment' closed at ")
    assert "its links take no more answers" in out
    code, out, _ = run("survey", "close", "--workspace", str(ws), "--json")
    closure = json.loads(out)
    assert code == 0 and closure["closed"] is True and closure["changed"] is False
    code, out, _ = run("assess", "--workspace", str(ws), "--json")
    closed_at = json.loads(out)["closed_at"]
    assert closed_at == closure["closed_at"][:19] + "+00:00"  # the first close, in seconds
    code, out, _ = run("assess", "--workspace", str(ws))
    assert f"staff survey closed at {closed_at}" in out
    assert run("report", "--workspace", str(ws))[0] == 0
    html = (ws / "reports" / "report.html").read_text(encoding="utf-8")
    assert f"staff survey closed {closed_at}" in html
    code, out, _ = run("survey", "reopen", "--workspace", str(ws))
    assert code == 0 and out.strip() == (
        "The survey of 'Readiness assessment' reopened: its links take answers."
    )
    code, out, _ = run("assess", "--workspace", str(ws), "--json")
    assert json.loads(out)["closed_at"] is None
    assert "closed" not in run("assess", "--workspace", str(ws))[1]
    code, _, err = run("survey", "close", "--workspace", str(tmp_path / "nowhere"))
    assert code == 2 and "not an outsidein workspace" in err


def test_a_refused_import_with_json_says_so_in_json(tmp_path: Path) -> None:
    """Scripts that ask for --json get JSON on a refusal too: each problem with its file, row
    and column; the plain message still goes to standard error."""
    ws = tmp_path / "acme"
    assert run("init", str(ws))[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("id,comment,stars\n1,Late again,x\n2,Fine,9\n", "utf-8")
    flags = ["--workspace", str(ws), "--text", "comment", "--id", "id", "--rating", "stars"]
    code, out, err = run("import", "feedback", str(bad), *flags, "--json")
    assert code == 1 and err.startswith("2 problems; nothing was stored")
    refused = json.loads(out)
    assert (refused["error"], refused["total"]) == ("rejected", 2)
    assert refused["message"] == "2 problems; nothing was stored"
    assert [(p["file"], p["row"], p["column"]) for p in refused["problems"]] == [
        ("bad.csv", 2, "stars"),
        ("bad.csv", 3, "stars"),
    ]
    code, out, err = run("import", "feedback", str(tmp_path / "none.csv"), *flags, "--json")
    assert code != 0 and json.loads(out)["error"] in {"rejected", "invalid"}
    assert json.loads(out)["message"] and err


def _english_pieces(keys: list[str]) -> list[str]:
    """The literal pieces longer than three words of these messages' English texts (their
    placeholders cut out): none of them may be left in a translated terminal output."""
    pieces = (re.split(r"\{[^}]*\}", MESSAGES[key]["en"]) for key in keys)
    return [p.strip() for piece in pieces for p in piece if len(p.split()) > 3]


def test_assess_speaks_the_assessments_language(tmp_path: Path) -> None:
    ws = tmp_path / "demo"
    assert run("demo", "--workspace", str(ws))[0] == 0
    empty = tmp_path / "firm"
    assert run("init", str(empty), "--name", "Acme GmbH")[0] == 0
    assert run("survey", "close", "--workspace", str(empty))[0] == 0
    expected = {
        "fi": [
            "Nordlicht Logistics — valmius: ei valmis\n",
            "\n  12 osa-alueesta 7 täyttää kriteerit; 5 ei täytä.\n",
            "\nvaihe 2: Ihmiset ovat erilaisia\n",
            "\n  estää pääsyn vaiheeseen 3: Asiakasymmärrys jaetaan osastojen kesken — ",
            "\nlaatu (kysymys Q): henkilöstön käsitykset verrattuna asiakkaisiin\n",
            "\n  esihenkilöt              ymmärrys: Kendallin τ 0.20 [-0.11, 0.31], 43 "
            "henkilöstön vastaajaa, 640 asiakasta\n",
            "\n                             aliarvioitu: reliability, communication",
            "toteutuskuilu (henkilöstö − asiakkaat, 1–7): problem_resolution +1.25",
            "; toiminnallinen − tekninen -0.50 [-0.54, -0.45]\n",
            "\nasiakkaiden ääni: 1500 kommenttia, 3106 virkettä (zero-shot tagging",
            "\n  reliability                53 % kommenteista [50, 56], nettosävy -1 [-5, +4]\n",
            "\n    moitteissa käytetyt sanat: delivery, late",
            "\n  nousevat ongelmat (mikään ominaisuus ei kata niitä):\n",
            " (2026-08-01 alkaen) KASVAA, lähin reliability (0.57) — ”The pickup never",
            "\n    … ja 1 muu (ks. raportti)\n",
        ],
        "de": [
            "Nordlicht Logistics — Bereitschaft: nicht bereit\n",
            "\n  7 von 12 Aspekten erfüllen die Kriterien; 5 nicht.\n",
            "\n  P-M operatives Personal nicht erfüllt    4.10 [4.02–4.18] n=250\n",
            " n=43 Parität 0.85 [0.82–0.89]\n",
            "\nStufe 2: Menschen sind verschieden\n",
            "\n  blockiert Stufe 3: ",
            "\nQualität (Frage Q): Annahmen der Mitarbeitenden im Vergleich zu den Kunden\n",
            "\n  operatives Personal Verständnis: Kendalls τ 0.64 [0.38, 0.78], 250 Mitarbeitende",
            "\n  Bewertungen der Kunden nach Dimension: technisch 5.24 [5.19, 5.30], funktional",
            "\nStimme der Kunden: 1500 Kommentare, 3106 Sätze (",
            "% der Kommentare [",
            "\n    Wörter im Lob: depot, polite",
            " (nicht in unserer Definition: depot)\n",
            "\n  neu auftretende Probleme (kein Merkmal deckt sie ab):\n",
            " (seit 2026-08-01) WÄCHST, nächstes reliability (0.57) — „The pickup never",
            "\n    … und 1 weiteres (siehe Bericht)\n",
        ],
    }
    ours = [k for k in MESSAGES if k.split(".")[0] in ("cli", "text", "role", "words")]
    english = _english_pieces(ours)
    assert say("text.quality", "en") in english  # the check does look at whole sentences
    for language, lines in expected.items():
        code, out, err = run("assess", "--workspace", str(ws), "--language", language)
        assert code == 0, err
        for line in lines:
            assert line in out, (language, line)
        code, closed, err = run("assess", "--workspace", str(empty), "--language", language)
        assert code == 0, err
        assert closed.startswith(say("cli.no_answers", language, firm="Acme GmbH") + "\n  ")
        left = [s for s in english if s in out or s in closed]
        assert left == [], language
    code, out, _ = run("assess", "--workspace", str(ws), "--language", "de", "--json")
    assert json.loads(out)["readiness"]["verdict"] == "not_ready"  # JSON keeps its values


def test_the_demo_in_german(tmp_path: Path) -> None:
    """`demo --language de`: its summary and its report in German (the reasons that come
    with the results stay English for now)."""
    ws = tmp_path / "demo"
    code, out, _ = run("demo", "--workspace", str(ws), "--language", "de")
    assert code == 0
    assert out.startswith(
        "Nordlicht Logistics: 293 Mitarbeitende haben geantwortet (Führungskräfte 43, "
        "operatives Personal 250)\n"
    )
    assert "\nStufe: 2 (Menschen sind verschieden); " in out
    report = (ws / "reports" / "report.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in report
    assert "Bericht zur Outside-in-Bereitschaft" in report
    english = run("demo", "--workspace", str(tmp_path / "en"))[1]
    assert english.splitlines()[0] != out.splitlines()[0]  # the same firm, told in German
