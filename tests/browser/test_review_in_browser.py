"""An editor reviews the demo commentary in Debian's Chromium, driven by Playwright."""

from __future__ import annotations

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


def selected(page) -> int:
    return int(page.get_attribute("#detail", "data-claim-id") or 0)


def wait_for_selected(page, claim) -> None:
    page.wait_for_selector(f'#detail[data-claim-id="{claim.pk}"]')


def test_editor_reviews_the_demo_with_the_keyboard_undoes_bulk_accepts_and_filters(page):
    commentary = page.commentary
    claims = list(commentary.claims.order_by("position"))
    log_in(page)

    page.click(f"text={commentary.title}")
    wait_for_selected(page, claims[0])  # the first undecided claim is selected
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-before.png"))

    # Keyboard only: a note, then s; marking moves on to the next undecided claim.
    page.keyboard.press("n")
    page.keyboard.type("Headline matches the report.")
    page.keyboard.press("Escape")
    page.keyboard.press("s")
    wait_for_selected(page, claims[1])
    assert "Verdict: Sourced" in page.inner_text(f"#claim-{claims[0].pk}")
    assert "1 of 33 claims decided" in page.inner_text("#progress")
    assert "decided" in (page.get_attribute(f"#span-{claims[0].pk}", "class") or "")
    page.keyboard.press("d")
    wait_for_selected(page, claims[2])
    page.keyboard.press("j")
    wait_for_selected(page, claims[3])
    page.keyboard.press("k")
    wait_for_selected(page, claims[2])
    page.keyboard.press("j")
    wait_for_selected(page, claims[3])
    page.keyboard.press("o")
    wait_for_selected(page, claims[4])
    page.keyboard.press("k")
    page.keyboard.press("k")
    wait_for_selected(page, claims[2])  # back to the undecided one skipped by j
    page.keyboard.press("a")
    wait_for_selected(page, claims[4])
    page.screenshot(path=str(ARTIFACTS / "review-marked.png"))

    # u undoes the last change (the accept of #3).
    page.keyboard.press("u")
    page.wait_for_selector("text=Undid your last change: #3 is undecided.")
    assert "Suggested:" in page.inner_text(f"#claim-{claims[2].pk}")
    kinds = sorted(commentary.claims.get(position=3).changes.values_list("kind", flat=True))
    assert kinds == ["mark", "undo"]

    # ? shows the keys.
    page.keyboard.press("?")
    assert page.locator("#keys dl").is_visible()
    page.screenshot(path=str(ARTIFACTS / "review-keys.png"))
    page.keyboard.press("?")

    # Bulk accept every suggestion at least 70% sure, then undo it as one action.
    sure = commentary.claims.filter(verdict="", confidence__gte=0.7).count()
    assert sure >= 3
    page.fill("#min-percent", "70")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"text=Accepted {sure} suggestions at least 70% sure")
    assert f"{3 + sure} of 33 claims decided" in page.inner_text("#progress")
    page.locator("#min-percent").blur()
    page.keyboard.press("u")
    page.wait_for_selector(f"text=Undid the bulk accept: {sure} claims restored.")
    assert "3 of 33 claims decided" in page.inner_text("#progress")

    # Filter to the undecided opinion suggestions, least sure first; the URL keeps the view.
    page.select_option("#id_state", "undecided")
    page.wait_for_url("**state=undecided**")
    page.select_option("#id_sort", "confidence")
    page.wait_for_url("**sort=confidence**")
    rows = page.locator("#claim-list li[data-claim-id]")
    assert rows.count() == 30
    first_row = int(rows.first.get_attribute("data-claim-id"))
    assert commentary.claims.get(pk=first_row).confidence == min(
        c.confidence for c in claims if c.position not in {1, 2, 4}
    )
    page.screenshot(path=str(ARTIFACTS / "review-filtered.png"))
    page.reload()
    assert page.locator("#claim-list li[data-claim-id]").count() == 30

    verdicts = dict(commentary.claims.exclude(verdict="").values_list("position", "verdict"))
    assert verdicts == {1: "sourced", 2: "disputed", 4: "opinion"}
    assert commentary.claims.get(position=1).note == "Headline matches the report."


def test_a_second_editor_sees_a_conflict_instead_of_overwriting(page, django_user_model):
    commentary = page.commentary
    first = commentary.claims.get(position=1)
    log_in(page)
    page.goto(f"/articles/{commentary.pk}/")
    wait_for_selected(page, first)
    other = django_user_model.objects.create_user("second-editor")
    first.set_verdict(label="opinion", note="Reads as comment.", editor=other)

    page.keyboard.press("s")
    page.wait_for_selector("text=This claim changed while you were deciding.")
    assert "It is now Editorial opinion (by second-editor" in page.inner_text("#detail")
    page.screenshot(path=str(ARTIFACTS / "review-conflict.png"))
    page.keyboard.press("s")  # deciding again, on the version now shown
    page.wait_for_selector(f"#claim-{first.pk} >> text=Verdict: Sourced")
    first.refresh_from_db()
    assert first.verdict == "sourced" and first.changes.count() == 2


def test_the_review_desk_works_under_the_content_security_policy(page):
    violations = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    commentary = page.commentary
    claims = list(commentary.claims.order_by("position"))
    log_in(page)
    page.goto(f"/articles/{commentary.pk}/")
    wait_for_selected(page, claims[0])

    page.keyboard.press("s")  # htmx posts the verdict and swaps the answer in
    wait_for_selected(page, claims[1])

    assert "Verdict: Sourced" in page.inner_text(f"#claim-{claims[0].pk}")
    assert violations == []
