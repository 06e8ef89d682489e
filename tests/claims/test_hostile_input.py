"""Article text, titles, notes, evidence and file names are untrusted: shown, never run."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from claims.models import Claim

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
QUOTES = '" onmouseover="alert(1)" x=\' onfocus=\'alert(2)'
ENTITIES = "&lt;b&gt;bold&lt;/b&gt; &amp; &#60;i&#62; &quot;"
IMG = "<img src=x onerror=alert(3)>"
HOSTILE = f"{SCRIPT} {QUOTES} {ENTITIES} {IMG}"


class Markup(HTMLParser):
    """The elements and attributes a page really has, once parsed as a browser would."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []
        self.images = 0
        self.handlers: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        self.images += tag == "img"
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


def assert_inert(html: str) -> None:
    markup = Markup(html)
    assert all("src" in script for script in markup.scripts), "inline <script> injected"
    assert markup.images == 0, "<img> injected"
    assert markup.handlers == [], "event handler attribute injected"


@pytest.fixture
def hostile_claim(make_article, make_claim, editor) -> Claim:
    source = make_article(title=f"Source {HOSTILE}", body=f"The source says {HOSTILE} plainly.")
    article = make_article(
        title=f"Title {HOSTILE}",
        outlet=f"Outlet {QUOTES}",
        url='https://example.org/"><script>alert(4)</script>',
        body=f"Before. Claim {HOSTILE} here. After {HOSTILE}.",
        sources=[source],
    )
    claim = make_claim(
        article,
        text=f"Claim {HOSTILE} here.",
        reason=f"Reason {HOSTILE}",
        reason_code=f"code{QUOTES}"[:40],
        evidence=[
            {
                "article_id": source.pk,
                "start": 0,
                "end": len(source.body),
                "text": source.body,
                "score": 0.9,
            }
        ],
    )
    claim.set_verdict(label="disputed", note=f"Note {HOSTILE}", editor=editor)
    return claim


def test_the_review_page_shows_hostile_text_as_text(editor_client, hostile_claim):
    response = editor_client.get(hostile_claim.article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert_inert(html)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&amp;lt;b&amp;gt;" in html  # an entity in the text is shown, not decoded


def test_the_selected_claims_panel_and_list_are_inert(editor_client, hostile_claim, htmx_headers):
    url = hostile_claim.article.get_absolute_url()
    selected = editor_client.get(
        f"{url}?claim={hostile_claim.pk}", HTTP_HX_TARGET="detail", **htmx_headers
    )
    partial = editor_client.get(url, **htmx_headers)
    for response in (selected, partial):
        assert response.status_code == 200
        assert "<html" not in response.content.decode()
        assert_inert(response.content.decode())


def test_marking_a_claim_with_a_hostile_note_answers_inert_html(
    editor_client, hostile_claim, htmx_headers
):
    response = editor_client.post(
        reverse("claims:mark", args=[hostile_claim.pk]),
        {"label": "sourced", "note": f"Again {HOSTILE}", "version": hostile_claim.version},
        **htmx_headers,
    )
    assert response.status_code == 200
    assert_inert(response.content.decode())
    hostile_claim.refresh_from_db()
    assert hostile_claim.note == f"Again {HOSTILE}"  # stored as typed, escaped when shown


def test_the_article_list_and_export_page_are_inert(editor_client, hostile_claim):
    for url in (reverse("articles:list"), reverse("claims:export")):
        response = editor_client.get(url)
        assert response.status_code == 200
        assert_inert(response.content.decode())


def test_a_hostile_file_name_is_shown_as_text_in_the_error(editor_client):
    name = f'story"><img src=x onerror=alert(1)>.{SCRIPT}'
    response = editor_client.post(
        reverse("articles:upload"),
        {"title": "Budget", "file": SimpleUploadedFile(name, b"%PDF-1.4")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert_inert(html)
    assert 'value="Budget"' in html  # what was typed is given back
    assert not Article.objects.exists()


def test_hostile_markup_in_an_uploaded_html_file_never_reaches_the_page(editor_client):
    page = (
        f"<html><body><p>Council {ENTITIES}</p>{SCRIPT}{IMG}"
        f"<p onclick='alert(5)'>Votes &lt;script&gt;</p></body></html>"
    )
    response = editor_client.post(
        reverse("articles:upload"),
        {"title": f"Upload {SCRIPT}", "file": SimpleUploadedFile("page.html", page.encode())},
        follow=True,
    )
    assert [status for _, status in response.redirect_chain] == [302]
    assert response.status_code == 200
    assert_inert(response.content.decode())
    article = Article.objects.get(title=f"Upload {SCRIPT}")  # the title as typed
    assert article.body.startswith("Council") and "<img" not in article.body
