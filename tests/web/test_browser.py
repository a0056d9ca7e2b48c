"""One real-browser flow: Debian's chromium (through Playwright) against ``serve()`` -- gunicorn
on a workspace's SQLite database, started as ``outsidein serve`` starts it.

An invited operational employee answers the whole survey in Finnish on a phone-sized screen,
partly by keyboard, reloads half-way and continues where they were, and submits twice (a double
tap, then a stale copy of the last page from another tab); the owner then logs in and sees the
count and the dashboard.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from outsidein.services import invitations, survey
from outsidein.services.workspace import close_workspace, init_workspace
from outsidein.store import models
from tests.conftest import need
from tests.web.live import live_server, run_python, server_env

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
OWNER_PASSWORD = "Owner-pass-for-browser-42"


def seed(alias: str, owner: int, assessment: int, role: str, count: int) -> None:
    outcome = invitations.invite(alias, owner, assessment, role=role, department="Warehouse",
                                 count=count, survey_url=lambda token: token)
    for i, (_, token) in enumerate(outcome.links):
        state = survey.open_survey(alias, token)
        answers = {q.id: 3 + (i + j) % 5 for p in state.pages
                   for j, q in enumerate(p.questions)}
        survey.submit(alias, token, answers)


@pytest.mark.browser
@pytest.mark.slow
def test_employee_answers_on_a_phone_and_the_owner_sees_the_result(tmp_path: Path) -> None:
    need(CHROMIUM.exists(), "Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import expect, sync_playwright

    ws = init_workspace(tmp_path / "ws", name="Nordlicht Logistics")
    env = server_env(settings.SECRET_KEY)
    owner = int(run_python(
        "from outsidein.services.server import create_owner; "
        f"print(create_owner({str(ws.path)!r}, username='owner', "
        f"password={OWNER_PASSWORD!r}, email='owner@example.com'))",
        env,
    ).strip())
    assessment = models.Assessment.objects.using(ws.alias).get().pk
    seed(ws.alias, owner, assessment, "manager", 6)
    seed(ws.alias, owner, assessment, "operational", 5)
    [(_, token)] = invitations.invite(
        ws.alias, owner, assessment, role="operational", department="Warehouse",
        language="fi", count=1, survey_url=lambda t: t,
    ).links
    before = survey.open_survey(ws.alias, token)
    pages, total = len(before.pages), before.total

    try:
        with live_server(ws.path, env) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            phone = browser.new_context(viewport={"width": 390, "height": 844},
                                        is_mobile=True, has_touch=True, locale="fi-FI")
            phone.set_default_timeout(60_000)
            page = phone.new_page()
            page.goto(f"{url}/s/{token}/")
            assert page.locator("html").get_attribute("lang") == "fi"
            expect(page).to_have_url(re.compile(rf"/s/{re.escape(token)}/1/$"))
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, "no sideways scrolling on a phone"

            # validation in Finnish, with the summary focused for screen readers
            page.get_by_role("button", name="Tallenna ja jatka").click()
            expect(page.locator(".error-summary")).to_contain_text("Tarkista")
            expect(page.locator(".question .error").first).to_have_text("Valitse vastaus.")

            for number in range(1, pages):
                questions = page.locator("fieldset.question")
                count = questions.count()
                if number == 2:  # the first question by keyboard
                    first = questions.nth(0).locator("input[type=radio]").first
                    first.focus()
                    page.keyboard.press("Space")
                    page.keyboard.press("ArrowDown")
                    expect(questions.nth(0).locator("input[value='2']")).to_be_checked()
                start = 1 if number == 2 else 0
                if number == 3:  # half the page, then a reload: the answers are kept
                    for i in range(2):
                        questions.nth(i).locator("label.choice").nth(5).click()
                    expect(page.locator("#save-state")).to_have_text("Tallennettu")
                    page.reload()
                    expect(page.locator("fieldset.question").nth(1)
                           .locator("input[value='6']")).to_be_checked()
                    page.goto(f"{url}/s/{token}/")  # the link again: back on page 3
                    expect(page).to_have_url(re.compile(r"/3/$"))
                    start = 2
                for i in range(start, count):
                    questions.nth(i).locator("label.choice").nth(4).click()
                if number == 2:  # Enter in a question goes on, not back (a page has Back)
                    questions.nth(count - 1).locator("input[value='5']").press("Enter")
                else:
                    page.get_by_role("button", name="Tallenna ja jatka").click()
                expect(page).to_have_url(re.compile(rf"/{number + 1}/$"))

            last = page.locator("fieldset.question")
            for i in range(last.count()):
                last.nth(i).locator("label.choice").nth(3).click()
            expect(page.locator("#save-state")).to_have_text("Tallennettu")
            stale = phone.new_page()  # the same last page in another tab, sent later
            stale.goto(page.url)
            submit = page.get_by_role("button", name="Lähetä vastaukseni")
            submit.dblclick()
            expect(page.get_by_test_id("done")).to_contain_text("Vastauksesi on vastaanotettu")
            stale.get_by_role("button", name="Lähetä vastaukseni").click()
            expect(stale.get_by_test_id("done")).to_be_visible()
            page.goto(f"{url}/s/{token}/")
            expect(page.get_by_test_id("done")).to_be_visible()

            desk = browser.new_context(viewport={"width": 1280, "height": 900})
            desk.set_default_timeout(120_000)
            lead = desk.new_page()
            lead.goto(f"{url}/")
            lead.get_by_label("Username").fill("owner")
            lead.get_by_label("Password").fill(OWNER_PASSWORD)
            lead.get_by_role("button", name="Log in").click()
            lead.get_by_role("link", name="Nordlicht Logistics").click()
            lead.get_by_role("link", name=ws.assessment).click()
            expect(lead.get_by_test_id("respondents")).to_have_text("12 responses")
            expect(lead.get_by_role("heading", name="Readiness grid")).to_be_visible()
            expect(lead.locator("#aspect-Q-O-operational .status")).not_to_be_empty()
            expect(lead.get_by_text("operational staff: 6")).to_be_visible()
            browser.close()
    finally:
        stored = models.Respondent.objects.using(ws.alias)
        counts = (stored.count(), stored.filter(role="operational").count(),
                  models.Response.objects.using(ws.alias).filter(
                      respondent__language="fi").count())
        close_workspace(ws.path)
    assert counts == (12, 6, total)  # the double submit stored one response, all of it


@pytest.mark.browser
@pytest.mark.slow
def test_a_respondent_mid_survey_learns_that_the_survey_closed(tmp_path: Path) -> None:
    """The organiser closes the survey while an employee is answering in German: the next
    answer they choose is not saved, and the page turns into the closed page (410)."""
    need(CHROMIUM.exists(), "Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import expect, sync_playwright

    ws = init_workspace(tmp_path / "ws", name="Nordlicht Logistics")
    env = server_env(settings.SECRET_KEY)
    owner = int(run_python(
        "from outsidein.services.server import create_owner; "
        f"print(create_owner({str(ws.path)!r}, username='owner', "
        f"password={OWNER_PASSWORD!r}))",
        env,
    ).strip())
    assessment = models.Assessment.objects.using(ws.alias).get().pk
    [(_, token)] = invitations.invite(
        ws.alias, owner, assessment, role="manager", department="Sales", language="de",
        count=1, survey_url=lambda t: t,
    ).links
    try:
        with live_server(ws.path, env) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.set_default_timeout(60_000)
            page.goto(f"{url}/s/{token}/")
            questions = page.locator("fieldset.question")
            questions.nth(0).locator("label.choice").nth(4).click()
            expect(page.locator("#save-state")).to_have_text("Gespeichert")
            closed = run_python(  # the consultant closes it from the command line
                "from outsidein.cli import main; "
                f"main(['survey', 'close', '--workspace', {str(ws.path)!r}])",
                env,
            )
            assert "closed at" in closed
            questions.nth(1).locator("label.choice").nth(2).click()  # autosave: 410
            expect(page.get_by_test_id("closed")).to_contain_text(
                "Die Befragung wurde am"
            )
            assert page.locator("html").get_attribute("lang") == "de"
            response = page.goto(f"{url}/s/{token}/")
            assert response is not None and response.status == 410
            expect(page.get_by_role("heading", name="Diese Befragung ist geschlossen")
                   ).to_be_visible()
            browser.close()
        draft = models.Draft.objects.using(ws.alias).get()
    finally:
        close_workspace(ws.path)
    assert len(draft.answers) == 1  # the answer chosen after the close was not saved
