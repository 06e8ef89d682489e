"""Editors review the demo commentary in Debian's Chromium, driven by Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from accounts.roles import ensure_roles
from articles.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo
from articles.models import Article
from claims.models import Claim, VerdictChange
from claims.services import annotate_article

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# The two screens the desk is made for (a 13" laptop, a common desktop window), and a
# small one it must still work on (the list then goes under the text).
SIZES = {"1280x720": (1280, 720), "1440x900": (1440, 900), "1024x768": (1024, 768)}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is absent: `apt-get install chromium` (.ci/run installs it)",
    ),
]


def open_page(browser, live_server, size=(1400, 1000)):
    report, commentary = load_demo()
    annotate_article(article_id=commentary.pk)
    width, height = size
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.commentary = commentary
    return page


@pytest.fixture
def page(browser, live_server, transactional_db):
    page = open_page(browser, live_server)
    yield page
    page.context.close()


@pytest.fixture(params=list(SIZES))
def sized_page(request, browser, live_server, transactional_db):
    page = open_page(browser, live_server, SIZES[request.param])
    page.size_name = request.param
    yield page
    page.context.close()


def log_in(page, username=DEMO_USERNAME, password=DEMO_PASSWORD) -> None:
    page.goto("/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def open_desk(page):
    claims = list(page.commentary.claims.order_by("position"))
    log_in(page)
    page.goto(f"/articles/{page.commentary.pk}/")
    wait_for_selected(page, claims[0])
    return claims


def wait_for_selected(page, claim) -> None:
    page.wait_for_selector(f'#detail[data-claim-id="{claim.pk}"]')


def settled(page) -> None:
    """Every key pressed so far has been acted on (review.js marks the body busy till then)."""
    page.wait_for_selector("body:not([aria-busy])", state="attached")
    page.wait_for_load_state("networkidle")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def in_view(page, selector: str) -> bool:
    """Whether the element is wholly inside the window and inside the pane that scrolls it."""
    return page.eval_on_selector(
        selector,
        """el => {
            const box = el.getBoundingClientRect();
            const inside = (outer) => box.top >= outer.top - 1 && box.bottom <= outer.bottom + 1
                && box.left >= outer.left - 1 && box.right <= outer.right + 1;
            const pane = el.closest('.article-text, .claim-list, .desk');
            const win = {top: 0, left: 0, bottom: innerHeight, right: innerWidth};
            return inside(win) && (!pane || inside(pane.getBoundingClientRect()));
        }""",
    )


def assert_desk_in_view(page) -> None:
    claim_id = page.get_attribute("#detail", "data-claim-id")
    for selector in (
        f"#span-{claim_id}",
        f"#claim-{claim_id}",
        "#detail h2",
        "#detail .verdict-buttons",
        "#progress",
    ):
        assert in_view(page, selector), f"{selector} is off screen at {page.viewport_size}"
    # The page itself never scrolls: the panes do.
    assert page.evaluate("document.scrollingElement.scrollHeight <= innerHeight + 1")


def test_the_desk_fits_the_screen_and_keeps_the_selection_in_view(sized_page):
    page = sized_page
    claims = open_desk(page)
    assert_desk_in_view(page)
    shot(page, f"desk-{page.size_name}")
    for key in "jjjjjsjjjjjjjjjjjdkkkkojjjjjjjjjjjjjjjjjjjjjjjjkkkk":
        page.keyboard.press(key)
        settled(page)
        assert_desk_in_view(page)
    assert page.commentary.claims.exclude(verdict="").count() == 3
    shot(page, f"desk-{page.size_name}-after-keys")
    # The selection near the end of the text is shown in both panes.
    assert int(page.get_attribute("#detail", "data-claim-id")) != claims[0].pk
    page.click(".fold.legend summary")
    shot(page, f"desk-{page.size_name}-legend")


def intended_history(claims, keys: str) -> list[tuple[int, str, str]]:
    """What the keys mean, pressed one by one on the desk with no filter: (position, old, new)
    for each verdict, moving on to the next undecided claim after each."""
    labels = {"s": "sourced", "d": "disputed", "o": "opinion"}
    verdicts = {claim.position: "" for claim in claims}
    at, history = 0, []
    for key in keys:
        if key in "jk":
            at = min(max(at + (1 if key == "j" else -1), 0), len(claims) - 1)
            continue
        claim = claims[at]
        label = labels.get(key) or claim.suggested_label
        history.append((claim.position, verdicts[claim.position], label))
        verdicts[claim.position] = label
        after = claims[at + 1 :] + claims[: at + 1]
        following = next((c for c in after if not verdicts[c.position]), claim)
        at = claims.index(following)
    return history


@pytest.mark.parametrize("delay", [20, 250], ids=["machine-speed", "human-speed"])
def test_a_burst_of_keys_leaves_exactly_the_history_the_keys_meant(page, delay):
    page.set_viewport_size({"width": 1280, "height": 720})
    claims = open_desk(page)
    keys = "ssdjokkssajjjdsskokjjadsosjjss"
    assert len(keys) == 30
    page.keyboard.type(keys, delay=delay)
    settled(page)

    changes = VerdictChange.objects.filter(claim__article=page.commentary).order_by("id")
    history = [(c.claim.position, c.old_label, c.new_label) for c in changes]
    assert history == intended_history(claims, keys), (history, intended_history(claims, keys))
    assert "changed while you were deciding" not in page.inner_text("#detail")
    assert_desk_in_view(page)


def test_two_filter_changes_20_ms_apart_both_apply(page):
    commentary = page.commentary
    open_desk(page)
    commentary.claims.filter(position__in=[1, 2]).update(verdict="sourced")
    page.select_option("#id_state", "undecided")
    page.wait_for_timeout(20)
    page.select_option("#id_sort", "confidence")
    page.wait_for_url("**state=undecided**sort=confidence**")
    settled(page)
    assert page.input_value("#id_state") == "undecided"
    assert page.input_value("#id_sort") == "confidence"
    shown = [
        int(pk)
        for pk in page.eval_on_selector_all(
            "#claim-list li[data-claim-id]", "rows => rows.map(r => r.dataset.claimId)"
        )
    ]
    undecided = commentary.claims.filter(verdict="").order_by("confidence", "position")
    assert shown == [claim.pk for claim in undecided]


def test_a_typed_note_survives_moving_away_and_enter_saves_it(page):
    claims = open_desk(page)
    page.keyboard.press("n")
    page.keyboard.type("Headline matches")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("the report.")
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    wait_for_selected(page, claims[1])
    page.keyboard.press("k")
    wait_for_selected(page, claims[0])
    settled(page)
    assert page.input_value("#note") == "Headline matches\nthe report."
    assert page.locator(".draft").is_visible()
    page.reload()
    wait_for_selected(page, claims[0])
    assert page.input_value("#note") == "Headline matches\nthe report."

    page.keyboard.press("n")
    page.keyboard.press("Enter")  # saves the note alone
    page.wait_for_selector("text=Note saved.")
    first = page.commentary.claims.get(pk=claims[0].pk)
    assert (first.verdict, first.note) == ("", "Headline matches\nthe report.")
    assert "changed the note" in page.inner_text("#detail .history")
    assert not page.locator(".draft").is_visible()
    assert page.evaluate(f"sessionStorage.getItem('factcheck:note:{claims[0].pk}')") is None


def test_a_viewer_sees_the_styled_refusal_and_only_the_keys_they_may_use(page, django_user_model):
    ensure_roles()
    viewer = django_user_model.objects.create_user("vera", password="correct horse battery")
    viewer.groups.add(Group.objects.get(name="viewer"))
    log_in(page, "vera", "correct horse battery")
    response = page.goto("/articles/new/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Your role does not allow this"
    assert "ask an admin of your newsroom to make you an editor" in page.inner_text("main")
    assert page.locator(".topbar").is_visible()
    shot(page, "refusal-403")

    page.goto(f"/articles/{page.commentary.pk}/")
    page.keyboard.press("?")
    keys = page.inner_text("#keys dl")
    assert "next / previous claim" in keys and "mark sourced" not in keys
    assert page.locator("#detail .verdict-buttons").count() == 0


def test_editor_reviews_the_demo_with_the_keyboard_undoes_bulk_accepts_and_filters(page):
    commentary = page.commentary
    claims = open_desk(page)
    shot(page, "review-before")

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
    settled(page)
    shot(page, "review-marked")

    # u undoes the last change (the accept of #3).
    page.keyboard.press("u")
    page.wait_for_selector("text=Undid your last change: #3 is undecided.")
    assert "Suggested:" in page.inner_text(f"#claim-{claims[2].pk}")
    kinds = sorted(commentary.claims.get(position=3).changes.values_list("kind", flat=True))
    assert kinds == ["mark", "undo"]

    # ? shows the keys.
    page.keyboard.press("?")
    assert page.locator("#keys dl").is_visible()
    shot(page, "review-keys")
    page.keyboard.press("?")

    # Bulk accept every suggestion at least 70% sure, then undo it as one action.
    sure = commentary.claims.filter(verdict="", confidence__gte=0.7).count()
    assert sure >= 3
    page.click(".fold.bulk summary")
    page.fill("#min-percent", "70")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"text=Accepted {sure} suggestions at least 70% sure")
    assert f"{3 + sure} of 33 claims decided" in page.inner_text("#progress")
    page.locator("#min-percent").blur()
    page.keyboard.press("u")
    page.wait_for_selector(f"text=Undid the bulk accept: {sure} claims restored.")
    assert "3 of 33 claims decided" in page.inner_text("#progress")

    # Filter to the undecided claims, least sure first; the URL keeps the view.
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
    shot(page, "review-filtered")
    page.reload()
    assert page.locator("#claim-list li[data-claim-id]").count() == 30
    page.click("text=Clear filters")
    page.wait_for_url(f"**/articles/{commentary.pk}/?sort=confidence")
    assert page.locator("#claim-list li[data-claim-id]").count() == 33

    verdicts = dict(commentary.claims.exclude(verdict="").values_list("position", "verdict"))
    assert verdicts == {1: "sourced", 2: "disputed", 4: "opinion"}
    assert commentary.claims.get(position=1).note == "Headline matches the report."


def test_a_second_editor_sees_a_conflict_instead_of_overwriting(page, django_user_model):
    commentary = page.commentary
    first = commentary.claims.get(position=1)
    open_desk(page)
    other = django_user_model.objects.create_user("second-editor")
    first.set_verdict(label="opinion", note="Reads as comment.", editor=other)

    page.keyboard.press("s")
    page.wait_for_selector("text=This claim changed while you were deciding.")
    assert "It is now Editorial opinion (by second-editor" in page.inner_text("#detail")
    shot(page, "review-conflict")
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
    claims = open_desk(page)

    page.keyboard.press("s")  # htmx posts the verdict and swaps the answer in
    wait_for_selected(page, claims[1])

    assert "Verdict: Sourced" in page.inner_text(f"#claim-{claims[0].pk}")
    assert violations == []


def open_long_desk(page, article: Article, selected: int | None = None) -> list[Claim]:
    """The desk of a long article (the claim at position `selected` chosen), counting the
    out-of-band swaps that found nothing to replace and the errors in the console."""
    claims = list(article.claims.order_by("position"))
    log_in(page)
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    query = f"?claim={claims[selected - 1].pk}" if selected else ""
    page.goto(f"/articles/{article.pk}/{query}")
    wait_for_selected(page, claims[(selected or 1) - 1])
    page.evaluate(
        "document.body.addEventListener('htmx:oobErrorNoTarget', "
        "e => console.error('oobErrorNoTarget', e.detail.target))"
    )
    return claims


def listed_rows(page) -> int:
    return page.locator("#claim-list li[data-claim-id]").count()


def test_show_more_by_mouse_lists_the_next_rows_where_the_list_was_scrolled(
    page, make_long_article
):
    claims = open_long_desk(page, make_long_article(130))
    assert listed_rows(page) == 100
    page.eval_on_selector("#claim-list", "list => (list.scrollTop = list.scrollHeight)")
    scrolled = page.eval_on_selector("#claim-list", "list => list.scrollTop")
    assert scrolled > 0
    page.click("#show-more")
    page.wait_for_selector(f"#claim-{claims[-1].pk}", state="attached")
    settled(page)
    assert page.locator("#show-more").count() == 0
    assert page.eval_on_selector("#claim-list", "list => list.scrollTop") >= scrolled - 1
    assert "rows=200" not in page.url  # the selection's URL is kept
    page.click(f"#claim-{claims[120].pk} a")
    wait_for_selected(page, claims[120])
    assert page.errors == []


def test_j_past_the_last_listed_row_at_machine_speed_lists_more_then_moves(page, make_long_article):
    claims = open_long_desk(page, make_long_article(130), selected=98)
    assert listed_rows(page) == 100
    page.keyboard.type("jjjjj", delay=20)
    settled(page)
    wait_for_selected(page, claims[102])
    assert listed_rows(page) == 130
    assert_desk_in_view(page)
    assert page.errors == []


def test_a_verdict_whose_next_undecided_claim_is_not_listed_lists_more_first(
    page, make_long_article
):
    claims = open_long_desk(page, make_long_article(130), selected=100)
    page.keyboard.type("sjs", delay=20)  # #100 sourced, on to #101, j to #102, #102 sourced
    settled(page)
    wait_for_selected(page, claims[102])
    changes = VerdictChange.objects.filter(claim__article=claims[0].article).order_by("id")
    assert [(c.claim.position, c.new_label) for c in changes] == [
        (100, "sourced"),
        (102, "sourced"),
    ]
    assert page.errors == []


def test_a_verdict_on_a_claim_picked_in_the_text_but_not_listed_is_no_error(
    page, make_long_article
):
    claims = open_long_desk(page, make_long_article(130))
    page.click(f"#span-{claims[119].pk}")  # #120, beyond the listed rows
    wait_for_selected(page, claims[119])
    assert page.locator(f"#claim-{claims[119].pk}").count() == 0
    page.keyboard.press("s")
    settled(page)
    wait_for_selected(page, claims[120])  # the next undecided, listed on the way
    assert "decided" in (page.get_attribute(f"#span-{claims[119].pk}", "class") or "")
    assert "Verdict: Sourced" in page.inner_text(f"#claim-{claims[119].pk}")
    assert page.errors == []
