from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article
from claims.models import Claim

pytestmark = pytest.mark.django_db


def review_url(article) -> str:
    return reverse("claims:review", args=[article.pk])


@pytest.fixture
def reviewed(make_article, make_claim):
    report = make_article(title="The report", body="The council approved the budget on Monday.")
    article = make_article(
        title="The commentary",
        body="The council approved the budget on Monday. It is a bold and welcome step.",
        sources=[report],
    )
    sourced = make_claim(
        article,
        text="The council approved the budget on Monday.",
        evidence=[
            {
                "article_id": report.pk,
                "start": 0,
                "end": 43,
                "text": "The council approved the budget on Monday.",
                "score": 0.97,
            }
        ],
    )
    opinion = make_claim(
        article,
        text="It is a bold and welcome step.",
        suggested_label="opinion",
        confidence=0.7,
        reason_code="subjective-language",
        reason="Evaluative words: “bold”, “welcome”.",
    )
    return article, sourced, opinion


def test_review_page_highlights_each_claim_and_details_the_first_undecided(editor_client, reviewed):
    article, sourced, opinion = reviewed
    response = editor_client.get(review_url(article))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="span-{sourced.pk}"' in page and f'id="span-{opinion.pk}"' in page
    assert f'id="claim-{sourced.pk}"' in page and f'id="claim-{opinion.pk}"' in page
    assert f'id="span-{opinion.pk}" href="{review_url(article)}?claim={opinion.pk}#detail"' in page
    assert "claim-span label-opinion suggested" in page
    detail = '<section id="detail" class="detail label-sourced finding-sourced"'
    assert f'{detail} data-claim-id="{sourced.pk}"' in page
    assert "A source sentence says the same." in page
    assert "Closest evidence in <cite>The report</cite>" in page
    source = reverse("claims:source", args=[sourced.evidence[0]["article_id"]])
    assert f'href="{source}?start=0&amp;end=43#evidence"' in page
    assert "0 of 2 claims decided" in page
    assert f'hx-post="{reverse("claims:mark", args=[sourced.pk])}"' in page
    assert 'hx-trigger="every' not in page


def test_evidence_is_shown_in_its_source_with_differing_words_marked(
    editor_client, make_article, make_claim
):
    report = make_article(
        title="The report",
        body="Earlier news. The council approved the budget on Tuesday. Later news.",
    )
    article = make_article(body="The council approved the budget on Monday.", sources=[report])
    make_claim(
        article,
        text=article.body,
        suggested_label="disputed",
        evidence=[
            {
                "article_id": report.pk,
                "start": 14,
                "end": 57,
                "score": 0.8,
                "text": "The council approved the budget on Tuesday.",
            }
        ],
    )
    page = editor_client.get(review_url(article)).content.decode()
    assert '<p class="context">Earlier news. </p>' in page
    assert '<blockquote class="evidence-sentence">The <span class="same">council</span>' in page
    assert '<mark class="differs">Tuesday</mark>' in page
    assert '<mark class="differs">Monday</mark>' in page
    assert '<span class="same">budget</span>' in page
    # Words that are neither shared content words nor facts that differ are left alone.
    assert '<span class="same">the</span>' not in page and ">The</" not in page
    assert '<p class="context"> Later news.</p>' in page


def test_selecting_a_claim_shows_its_panel_and_htmx_gets_the_panel_alone(
    editor_client, reviewed, htmx_headers
):
    article, sourced, opinion = reviewed
    url = review_url(article) + f"?claim={opinion.pk}"
    page = editor_client.get(url).content.decode()
    assert f'data-claim-id="{opinion.pk}" data-version="0"' in page
    assert "Evaluative words: “bold”, “welcome”." in page
    response = editor_client.get(url, HTTP_HX_TARGET="detail", **htmx_headers)
    panel = response.content.decode()
    assert response.status_code == 200
    assert panel.startswith('<section id="detail"') and "<html" not in panel
    assert "Evaluative words" in panel and 'id="claim-list"' not in panel
    assert response.headers["Vary"] == "HX-Request, HX-Target, Cookie"


def test_review_page_escapes_article_text_and_claims(editor_client, make_article, make_claim):
    article = make_article(
        title="<script>alert(1)</script>", body='Say "<b>hi</b>" & <script>x()</script>.'
    )
    make_claim(article, text=article.body, reason="<img src=x onerror=alert(2)>")
    page = editor_client.get(review_url(article)).content.decode()
    assert "<script>x()" not in page and "<script>alert(1)" not in page
    assert "&lt;script&gt;x()" in page
    assert "<img src=x" not in page


def test_review_page_polls_while_annotating_and_stops_when_ready(
    editor_client, make_article, htmx_headers
):
    article = make_article(status=Article.Status.ANNOTATING)
    page = editor_client.get(review_url(article)).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "Pre-annotating" in page
    article.mark_ready()
    partial = editor_client.get(review_url(article), **htmx_headers).content.decode()
    assert "every 1s" not in partial


def test_failed_annotation_shows_the_message_and_a_retry_button(editor_client, make_article):
    article = make_article(
        status=Article.Status.FAILED, status_message="Pre-annotation failed: boom"
    )
    page = editor_client.get(review_url(article)).content.decode()
    assert "Pre-annotation failed: boom" in page
    assert "Retry pre-annotation" in page


def test_htmx_request_gets_the_review_partial(editor_client, reviewed, htmx_headers):
    article, *_ = reviewed
    response = editor_client.get(review_url(article), **htmx_headers)
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'id="review"' in response.content


def test_review_needs_login(client, reviewed):
    article, *_ = reviewed
    response = client.get(review_url(article))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_review_rejects_post(editor_client, reviewed):
    article, *_ = reviewed
    assert editor_client.post(review_url(article)).status_code == 405


def test_review_of_missing_article_is_404(editor_client):
    assert editor_client.get(reverse("claims:review", args=[424242])).status_code == 404


def test_another_editor_reviews_the_same_newsroom_article(client, other_editor, reviewed):
    article, *_ = reviewed
    client.force_login(other_editor)
    assert client.get(review_url(article)).status_code == 200


@pytest.mark.parametrize("claims", [20, 500])
def test_review_query_count_does_not_grow_with_claims(
    editor_client, make_article, session_lookups, django_assert_num_queries, claims
):
    sources = [make_article(title=f"Source {i}") for i in range(3)]
    article = make_article(body=" ".join(f"Sentence {i}." for i in range(claims)), sources=sources)
    start = 0
    for i in range(claims):
        text = f"Sentence {i}."
        evidence = {"article_id": sources[i % 3].pk, "start": 0, "end": 11, "score": 0.5}
        Claim.objects.create(
            article=article,
            position=i + 1,
            start=start,
            end=start + len(text),
            text=text,
            suggested_label="sourced",
            confidence=(i % 100) / 100,
            reason_code="matches-source",
            reason="A source sentence says the same.",
            evidence=[{**evidence, "text": "The council"}],
        )
        start += len(text) + 1
    article.claims.first().set_verdict(label="sourced", note="", editor=article.uploaded_by)
    # session (unless cached), user and role (one query each, then cached), article, claims,
    # the selected claim whole, sources, overall figures, selected history (the source picker
    # lists no candidates), decided before elsewhere
    with django_assert_num_queries(session_lookups + 9):
        response = editor_client.get(review_url(article))
    assert response.content.decode().count('class="row ') == min(claims, 100)
