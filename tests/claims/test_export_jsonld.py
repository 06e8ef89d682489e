from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CLAIMREVIEW_URL = reverse("claims:export_claimreview")
ANNOTATIONS_URL = reverse("claims:export_annotations")


def read_json(response) -> dict:
    assert response.status_code == 200 and response.streaming
    return json.loads(b"".join(response.streaming_content))


@pytest.fixture
def decided_article(make_article, make_claim, editor):
    article = make_article(
        title="Budget",
        outlet="The Daily Test",
        url="https://news.test/budget",
        published_on=date(2026, 3, 1),
        body="Intro. The council approved it on Monday. It is a bold step. Turnout was 40%.",
    )
    approved = make_claim(article, text="The council approved it on Monday.")
    bold = make_claim(article, text="It is a bold step.", suggested_label="opinion")
    turnout = make_claim(article, text="Turnout was 40%.", suggested_label="disputed")
    approved.set_verdict(label="sourced", note="", editor=editor)
    bold.set_verdict(label="opinion", note="", editor=editor)
    turnout.set_verdict(label="disputed", note="The source says 30%.", editor=editor)
    make_claim(make_article(body="Undecided claim."), text="Undecided claim.")
    return article


def test_claimreview_has_the_fields_google_fact_check_tools_read(
    editor_client, decided_article, settings
):
    settings.FACTCHECK_ORGANISATION = "Test Checkers"
    settings.FACTCHECK_ORGANISATION_URL = "https://checkers.test/"
    response = editor_client.get(CLAIMREVIEW_URL)
    document = read_json(response)
    assert response["Content-Type"] == "application/ld+json"
    assert document["@context"] == "https://schema.org"
    first = document["@graph"][0]
    claim_id = decided_article.claims.get(position=1).pk
    assert first == {
        "@type": "ClaimReview",
        "url": f"http://testserver/articles/{decided_article.pk}/#claim-{claim_id}",
        "claimReviewed": "The council approved it on Monday.",
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": "The Daily Test"},
            "datePublished": "2026-03-01",
            "appearance": [{"@type": "CreativeWork", "url": "https://news.test/budget"}],
        },
        "author": {
            "@type": "Organization",
            "name": "Test Checkers",
            "url": "https://checkers.test/",
        },
        "datePublished": first["datePublished"],
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 5,
            "alternateName": "Supported by source",
            "bestRating": 5,
            "worstRating": 1,
        },
    }
    assert date.fromisoformat(first["datePublished"])


def test_claimreview_leaves_out_opinions_and_undecided_claims(editor_client, decided_article):
    reviews = read_json(editor_client.get(CLAIMREVIEW_URL))["@graph"]
    assert [r["claimReviewed"] for r in reviews] == [
        "The council approved it on Monday.",
        "Turnout was 40%.",
    ]
    disputed = reviews[1]["reviewRating"]
    assert (disputed["ratingValue"], disputed["alternateName"]) == (1, "Disputed")
    for review in reviews:
        rating = review["reviewRating"]
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]


def test_claimreview_of_an_article_without_metadata_omits_what_is_unknown(
    editor_client, make_article, make_claim, editor
):
    article = make_article(outlet="", body="A fact.")
    make_claim(article, text="A fact.").set_verdict(label="sourced", note="", editor=editor)
    item = read_json(editor_client.get(CLAIMREVIEW_URL))["@graph"][0]["itemReviewed"]
    assert item == {"@type": "Claim"}


def test_claimreview_uses_the_export_filters(editor_client, decided_article):
    document = read_json(editor_client.get(CLAIMREVIEW_URL, {"verdict": "disputed"}))
    assert [r["claimReviewed"] for r in document["@graph"]] == ["Turnout was 40%."]
    empty = read_json(editor_client.get(CLAIMREVIEW_URL, {"decided": "no"}))
    assert empty["@graph"] == []


def test_web_annotations_are_a_collection_of_every_decided_claim(editor_client, decided_article):
    response = editor_client.get(ANNOTATIONS_URL, {"article": decided_article.pk})
    collection = read_json(response)
    assert response["Content-Type"].startswith("application/ld+json")
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    assert collection["id"].startswith("http://testserver/export/annotations.jsonld?article=")
    assert collection["total"] == 3
    page = collection["first"]
    assert page["type"] == "AnnotationPage" and len(page["items"]) == 3


def test_web_annotation_targets_the_quote_and_position_with_verdict_and_note(
    editor_client, decided_article
):
    items = read_json(editor_client.get(ANNOTATIONS_URL))["first"]["items"]
    turnout = items[2]
    body = decided_article.body
    start = body.index("Turnout")
    assert turnout["type"] == "Annotation" and turnout["motivation"] == "assessing"
    assert turnout["id"].startswith(f"http://testserver/articles/{decided_article.pk}/#claim-")
    assert turnout["creator"] == {"type": "Person", "nickname": "amira"}
    assert turnout["created"] == turnout["modified"] and turnout["created"].endswith("Z")
    assert turnout["body"] == [
        {"type": "TextualBody", "purpose": "assessing", "value": "disputed"},
        {
            "type": "TextualBody",
            "purpose": "commenting",
            "value": "The source says 30%.",
            "format": "text/plain",
        },
    ]
    assert turnout["target"] == {
        "source": "https://news.test/budget",
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": "Turnout was 40%.",
                "prefix": body[start - 32 : start],
                "suffix": "",
            },
            {"type": "TextPositionSelector", "start": start, "end": len(body)},
        ],
    }
    first_quote = items[0]["target"]["selector"][0]
    assert first_quote["prefix"] == "Intro. "
    assert first_quote["suffix"] == body[body.index(" It is") :][:32]
    assert len(items[1]["body"]) == 1  # no note, no comment


def test_web_annotation_keeps_the_first_decision_time_as_created(
    editor_client, decided_article, other_editor
):
    claim = decided_article.claims.get(position=1)
    claim.set_verdict(label="disputed", note="On second thought.", editor=other_editor)
    first = read_json(editor_client.get(ANNOTATIONS_URL))["first"]["items"][0]
    assert first["created"] <= first["modified"]
    assert first["creator"]["nickname"] == "second-editor"
    assert first["body"][0]["value"] == "disputed"


@pytest.mark.parametrize("url", [CLAIMREVIEW_URL, ANNOTATIONS_URL])
def test_json_exports_with_bad_filters_show_the_form(editor_client, url):
    response = editor_client.get(url, {"verdict": "maybe"})
    assert response.status_code == 400
    assert "Some filters are not valid" in response.content.decode()


@pytest.mark.parametrize("url", [CLAIMREVIEW_URL, ANNOTATIONS_URL])
def test_json_exports_need_login(client, url):
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("url", [CLAIMREVIEW_URL, ANNOTATIONS_URL])
def test_json_exports_reject_post(editor_client, url):
    assert editor_client.post(url).status_code == 405
