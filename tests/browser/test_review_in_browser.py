"""An editor reviews the demo commentary in Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from articles.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo
from claims.services import annotate_article

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is absent: `apt-get install chromium` (.ci/run installs it)",
    ),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the
    # test body are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    report, commentary = load_demo()
    annotate_article(article_id=commentary.pk)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1400, "height": 1000}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.commentary = commentary
    yield page
    context.close()


def log_in(page) -> None:
    page.goto("/")
    page.fill("#id_username", DEMO_USERNAME)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def test_editor_logs_in_reviews_the_demo_by_mouse_and_keyboard_and_exports(page):
    commentary = page.commentary
    claims = list(commentary.claims.order_by("position"))
    log_in(page)

    page.click(f"text={commentary.title}")
    page.wait_for_selector(f"#claim-{claims[0].pk}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-before.png"), full_page=False)

    # One click with a note.
    first = page.locator(f"#claim-{claims[0].pk}")
    first.locator("textarea").fill("Headline matches the report.")
    first.get_by_role("button", name="Sourced").click()
    page.wait_for_selector(f"#claim-{claims[0].pk} >> text=Verdict: Sourced")
    assert "1 of" in page.locator("#progress").inner_text()
    assert "decided" in (page.get_attribute(f"#span-{claims[0].pk}", "class") or "")

    # One key: marking moved the selection to the next undecided claim.
    page.keyboard.press("d")
    page.wait_for_selector(f"#claim-{claims[1].pk} >> text=Verdict: Disputed")
    page.keyboard.press("j")
    page.keyboard.press("o")
    page.wait_for_selector(f"#claim-{claims[3].pk} >> text=Verdict: Editorial opinion")
    page.screenshot(path=str(ARTIFACTS / "review-after.png"), full_page=False)

    verdicts = dict(commentary.claims.exclude(verdict="").values_list("position", "verdict"))
    assert verdicts == {1: "sourced", 2: "disputed", 4: "opinion"}
    assert commentary.claims.get(position=1).note == "Headline matches the report."

    response = page.request.get(f"/export/?article={commentary.pk}&format=csv")
    rows = list(csv.reader(io.StringIO(response.text())))
    assert [row[7] for row in rows[1:5]] == ["sourced", "disputed", "", "opinion"]
