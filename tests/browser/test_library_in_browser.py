"""An editor uploads an article with a new source pasted inline and an existing one found by
typing in the picker, in Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from accounts.roles import ensure_roles
from articles.models import Article

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "correct horse battery"

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

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM in the test body stays sync
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db, django_user_model):
    ensure_roles()
    editor = django_user_model.objects.create_user("amira", password=PASSWORD)
    editor.groups.add(Group.objects.get(name="editor"))
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/")
    page.fill("#id_username", "amira")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    yield page
    context.close()


def test_upload_with_an_inline_source_and_one_picked_by_search(page):
    report = Article.objects.create(
        title="Audit office budget report",
        kind=Article.Kind.REPORT,
        status=Article.Status.SOURCE,
        body="The audit office found the 2025 budget balanced.",
    )
    Article.objects.create(title="Unrelated story", body="Nothing about money.")

    page.goto("/articles/new/")
    page.fill("#id_title", "Council approves the budget")
    page.fill("#id_text", "The council approved a balanced budget. The mayor voted for it.")
    # Typing searches (htmx active search); the match is ticked in place.
    page.locator("#source-q-sources").press_sequentially("audit budget", delay=30)
    match = page.locator("#source-results-sources label", has_text="Audit office budget report")
    match.wait_for()
    assert page.locator("#source-results-sources", has_text="Unrelated story").count() == 0
    match.locator("input[type=checkbox]").check()
    # A second search keeps the ticked source ticked.
    page.fill("#source-q-sources", "")
    page.locator("#source-q-sources").press_sequentially("council minutes", delay=30)
    page.wait_for_selector("#source-results-sources >> text=Nothing else matches")
    assert page.locator(f'input[name=sources][value="{report.pk}"]').is_checked()

    page.click("text=New source 1")
    page.select_option("#id_new-0-kind", "transcript")
    page.fill("#id_new-0-title", "Council meeting minutes")
    page.fill("#id_new-0-text", "The mayor voted for the budget.")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "library-upload.png"), full_page=True)
    page.click("button:has-text('Upload')")
    page.wait_for_url("**/articles/*/")

    article = Article.objects.get(title="Council approves the budget")
    minutes = Article.objects.get(title="Council meeting minutes")
    assert set(article.sources.all()) == {report, minutes}
    assert (minutes.kind, minutes.status) == ("transcript", Article.Status.SOURCE)
    assert "Sources (2)" in page.inner_text("details.sources summary")

    # The library lists the article to check; the sources are on their own tab.
    page.goto("/")
    assert page.locator("table.articles", has_text="Council approves the budget").count() == 1
    assert page.locator("table.articles", has_text="Council meeting minutes").count() == 0
    page.click("nav.tabs >> text=Sources")
    page.wait_for_url("**kind=sources**")
    assert page.locator("table.articles", has_text="Council meeting minutes").count() == 1
    page.screenshot(path=str(ARTIFACTS / "library-sources.png"), full_page=True)
