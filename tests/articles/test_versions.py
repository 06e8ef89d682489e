from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import Article, ArticleVersion
from claims import services
from claims.annotator import Suggestion, split_claims
from claims.models import Claim, VerdictChange

pytestmark = pytest.mark.django_db

ORIGINAL = (
    "The council approved the budget on Monday. The mayor said 300 homes would be built. "
    "Critics called it a bold and welcome step."
)
# The second sentence moved words slightly, the third is gone, a fourth is new.
CORRECTED = (
    "The council approved the budget on Monday. The mayor said that 300 homes would be built. "
    "The vote was 7 to 2."
)


def versions_url(article) -> str:
    return reverse("articles:versions", args=[article.pk])


def add_version_url(article) -> str:
    return reverse("articles:add_version", args=[article.pk])


def annotated(article: Article) -> list[Claim]:
    """Pre-annotate the article's current text with fixed suggestions (no model needed)."""
    suggestions = [
        Suggestion(s.start, s.end, s.text, "sourced", 0.7, "matches-source", "Says so.", ())
        for s in split_claims(article.body)
    ]
    services.replace_suggestions(article=article, suggestions=suggestions, sources=[])
    return list(article.claims.all())


@pytest.fixture
def decided(make_article, editor):
    """An article of three claims, each decided with a note."""
    article = make_article(body=ORIGINAL)
    claims = annotated(article)
    for claim, label in zip(claims, ["sourced", "disputed", "opinion"], strict=True):
        claim.set_verdict(label=label, note=f"Note on {label}", editor=editor)
    return article


def correct(article: Article, body: str, editor) -> list[Claim]:
    from articles.services import add_version

    add_version(article=article, body=body, uploaded_by=editor)
    article.refresh_from_db()
    return annotated(article)


def test_editor_uploads_a_corrected_version_which_is_queued_for_annotation(
    editor_client, decided, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = editor_client.post(add_version_url(decided), {"text": CORRECTED})
    decided.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == versions_url(decided)
    assert decided.body == CORRECTED
    assert decided.status == Article.Status.QUEUED
    assert len(callbacks) == 1  # the annotation is sent once the upload is committed
    versions = list(decided.versions.all())
    assert [(v.number, v.body) for v in versions] == [(1, ORIGINAL), (2, CORRECTED)]
    assert versions[1].uploaded_by.username == "amira"


def test_articles_citing_a_corrected_one_are_checked_against_its_new_text(
    editor, decided, make_article, django_capture_on_commit_callbacks
):
    from articles.services import add_version

    citing = make_article(sources=[decided])
    with django_capture_on_commit_callbacks() as callbacks:
        add_version(article=decided, body=CORRECTED, uploaded_by=editor)
    citing.refresh_from_db()
    assert citing.status == Article.Status.QUEUED
    assert len(callbacks) == 2


def test_a_corrected_source_is_not_annotated_but_its_citing_articles_are_checked_again(
    editor, make_article, django_capture_on_commit_callbacks
):
    from articles.services import add_version

    source = make_article(body=ORIGINAL, kind=Article.Kind.REPORT, status=Article.Status.SOURCE)
    citing = make_article(sources=[source])
    with django_capture_on_commit_callbacks() as callbacks:
        add_version(article=source, body=CORRECTED, uploaded_by=editor)
    source.refresh_from_db()
    citing.refresh_from_db()
    assert (source.body, source.status) == (CORRECTED, Article.Status.SOURCE)
    assert citing.status == Article.Status.QUEUED
    assert len(callbacks) == 1  # the citing article's annotation only


def test_a_corrected_version_is_read_from_a_file_as_an_upload_is(editor_client, decided):
    page = b"<html><body><p>The council approved the budget on Tuesday.</p></body></html>"
    upload = SimpleUploadedFile("fixed.html", page, content_type="text/html")
    response = editor_client.post(add_version_url(decided), {"file": upload})
    decided.refresh_from_db()
    assert response.status_code == 302
    assert decided.body == "The council approved the budget on Tuesday."


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_an_empty_version_is_refused_with_a_clear_message(editor_client, decided, text):
    response = editor_client.post(add_version_url(decided), {"text": text})
    decided.refresh_from_db()
    assert response.status_code == 400
    assert "The corrected version has no text" in response.content.decode()
    assert decided.body == ORIGINAL
    assert not ArticleVersion.objects.exists()


def test_an_identical_version_changes_nothing_and_reruns_nothing(
    editor_client, decided, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = editor_client.post(add_version_url(decided), {"text": ORIGINAL + "\n"})
    decided.refresh_from_db()
    assert response.status_code == 400
    assert "No change" in response.content.decode()
    assert decided.status == Article.Status.READY
    assert callbacks == []
    assert not ArticleVersion.objects.exists()


def test_a_version_is_refused_while_annotation_runs_and_the_text_is_kept(
    editor_client, make_article
):
    article = make_article(body=ORIGINAL, status=Article.Status.ANNOTATING)
    response = editor_client.post(add_version_url(article), {"text": CORRECTED})
    article.refresh_from_db()
    assert response.status_code == 409
    page = response.content.decode()
    assert "Pre-annotation is under way" in page
    assert "The vote was 7 to 2." in page  # the pasted text is still in the form
    assert article.body == ORIGINAL


def test_a_pdf_as_a_version_is_refused(editor_client, decided):
    upload = SimpleUploadedFile("fixed.txt", b"%PDF-1.7 ...", content_type="text/plain")
    response = editor_client.post(add_version_url(decided), {"file": upload})
    assert response.status_code == 400
    assert "PDF" in response.content.decode()


def test_viewer_cannot_upload_a_version_but_sees_the_versions(viewer_client, decided):
    response = viewer_client.post(add_version_url(decided), {"text": CORRECTED})
    assert response.status_code == 403
    page = viewer_client.get(versions_url(decided))
    assert page.status_code == 200
    assert "Upload a corrected version" not in page.content.decode()


def test_versions_need_login_the_right_method_and_an_article(editor_client, decided):
    client = Client()
    assert client.get(versions_url(decided)).status_code == 302
    assert client.post(add_version_url(decided), {"text": CORRECTED}).status_code == 302
    assert editor_client.get(add_version_url(decided)).status_code == 405
    assert editor_client.post(versions_url(decided)).status_code == 405
    assert editor_client.post(reverse("articles:add_version", args=[999999])).status_code == 404
    assert editor_client.get(reverse("articles:versions", args=[999999])).status_code == 404


def test_the_versions_page_shows_what_changed_escaped(editor_client, make_article, editor):
    article = make_article(body="The mayor said <b>300</b> homes.")
    correct(article, "The mayor said <script>alert(1)</script> 250 homes.", editor)
    page = editor_client.get(versions_url(article)).content.decode()
    assert "<del>&lt;b&gt;300&lt;/b&gt; </del>" in page
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt; 250 </ins>" in page
    assert "<script>alert" not in page


@pytest.mark.parametrize("v", ["-1", "abc", "999999", "99999999999999999999", "1"])
def test_any_version_number_in_the_url_is_answered(editor_client, decided, editor, v):
    correct(decided, CORRECTED, editor)
    response = editor_client.get(versions_url(decided), {"v": v})
    assert response.status_code == 200
    page = response.content.decode()
    if v == "1":
        assert "is the original text" in page
    else:
        assert "What changed from version 1 to 2" in page


def test_unchanged_claims_keep_verdict_note_and_history(decided, editor):
    before = {c.text: c for c in decided.claims.all()}
    claims = correct(decided, CORRECTED, editor)
    same = next(c for c in claims if c.text.startswith("The council"))
    assert same.pk == before[same.text].pk
    assert (same.verdict, same.note, same.decided_by) == ("sourced", "Note on sourced", editor)
    assert not same.text_changed
    assert same.changes.count() == 1


def test_a_near_identical_claim_keeps_its_verdict_flagged_as_changed(
    decided, editor, editor_client
):
    old = decided.claims.get(position=2)
    claims = correct(decided, CORRECTED, editor)
    near = next(c for c in claims if c.text.startswith("The mayor"))
    assert near.pk == old.pk
    assert near.text == "The mayor said that 300 homes would be built."
    assert (near.verdict, near.note) == ("disputed", "Note on disputed")
    assert near.text_changed and near.decided_text == old.text
    assert near.changes.count() == 1

    page = editor_client.get(reverse("claims:review", args=[decided.pk]), {"claim": near.pk})
    html = page.content.decode()
    assert "Text changed since decided." in html
    assert html.count("text changed since decided</span>") == 1  # its row in the list


def test_a_new_verdict_clears_the_text_changed_flag(decided, editor):
    claims = correct(decided, CORRECTED, editor)
    near = next(c for c in claims if c.text_changed)
    near.set_verdict(label="sourced", note="Checked again", editor=editor)
    near.refresh_from_db()
    assert not near.text_changed


def test_a_claim_that_disappeared_is_kept_in_history_off_the_desk(decided, editor, editor_client):
    gone = decided.claims.get(position=3)
    claims = correct(decided, CORRECTED, editor)
    assert gone.pk not in {c.pk for c in claims}
    assert [c.text for c in claims][-1] == "The vote was 7 to 2."
    kept = Claim.with_removed.get(pk=gone.pk)
    assert kept.removed_in_version == 2
    assert (kept.verdict, kept.note) == ("opinion", "Note on opinion")
    assert VerdictChange.objects.filter(claim=gone).count() == 1

    review = editor_client.get(reverse("claims:review", args=[decided.pk])).content.decode()
    assert "bold and welcome" not in review
    assert Article.objects.get(pk=decided.pk).claim_count == 3
    versions = editor_client.get(versions_url(decided)).content.decode()
    assert "Critics called it a bold and welcome step." in versions
    assert "removed in version 2" in versions
    assert "Note on opinion" in versions


def test_an_untouched_claim_that_disappeared_is_dropped(make_article, editor):
    article = make_article(body=ORIGINAL)
    annotated(article)
    correct(article, CORRECTED, editor)
    assert not Claim.with_removed.filter(article=article, text__startswith="Critics").exists()


def test_a_rerun_on_the_same_text_keeps_an_editors_split(decided, editor):
    from claims.verdicts import split_claim, split_points

    claim = decided.claims.get(position=1)
    second = split_claim(
        claim=claim, at=split_points(claim)[3], editor=editor, seen_version=claim.version
    )
    annotated(decided)
    texts = [c.text for c in decided.claims.all()]
    assert second.text in texts and claim.text in texts


def test_review_page_does_not_highlight_claims_of_the_previous_text(decided, editor, editor_client):
    from articles.services import add_version

    add_version(article=decided, body=CORRECTED, uploaded_by=editor)  # not annotated yet
    page = editor_client.get(reverse("claims:review", args=[decided.pk])).content.decode()
    assert 'id="span-' in page  # the unchanged first sentence still sits at its span
    assert "Critics called it" not in page.split('class="article-text"')[1].split("</article>")[0]


def test_a_corrected_version_is_reannotated_with_verdicts_carried_over(editor_client, decided):
    editor_client.post(add_version_url(decided), {"text": CORRECTED})
    assert services.annotate_article(article_id=decided.pk)  # what the queued task runs
    decided.refresh_from_db()
    claims = list(decided.claims.all())
    assert decided.status == Article.Status.READY
    assert [c.text for c in claims] == [s.text for s in split_claims(CORRECTED)]
    assert [c.verdict for c in claims] == ["sourced", "disputed", ""]
    assert claims[1].text_changed
    assert all(c.embedding and len(c.embedding) == 384 for c in claims)


def test_undo_skips_the_verdict_of_a_claim_a_correction_removed(decided, editor):
    from claims.verdicts import undo_last

    gone = decided.claims.get(position=3)  # the last one decided
    correct(decided, CORRECTED, editor)
    outcome = undo_last(article=decided, editor=editor)
    assert [change.claim.text for change in outcome.changes] == [
        "The mayor said that 300 homes would be built."
    ]
    assert Claim.with_removed.get(pk=gone.pk).verdict == "opinion"
