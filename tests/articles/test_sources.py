"""Sources are first-class: uploaded as such, never pre-annotated, attached by search or
inline in the same upload, and never their own source."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from claims.services import annotate_article

pytestmark = pytest.mark.django_db

UPLOAD = reverse("articles:upload")
SEARCH = reverse("articles:source_search")


def upload_data(**overrides) -> dict:
    data = {
        "kind": "article",
        "title": "Council approves budget",
        "outlet": "The Daily Test",
        "text": "The council approved the budget on Monday. It passed 7 to 2.",
        "new-TOTAL_FORMS": "2",
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "10",
        "new-0-kind": "report",
        "new-1-kind": "report",
    }
    data.update(overrides)
    return data


def test_a_source_is_saved_as_such_and_never_queued(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = editor_client.post(
            UPLOAD, upload_data(kind="transcript", title="Council meeting transcript")
        )
    source = Article.objects.get()
    assert response.status_code == 302
    assert source.kind == "transcript" and source.is_source
    assert source.status == Article.Status.SOURCE
    assert callbacks == []  # no annotation is sent


def test_annotation_never_runs_on_a_source(make_article):
    source = make_article(kind="report", status=Article.Status.SOURCE)
    assert annotate_article(article_id=source.pk) is False
    source.refresh_from_db()
    assert source.status == Article.Status.SOURCE and source.claims.count() == 0


def test_a_source_is_not_rerun(editor_client, make_article):
    source = make_article(kind="report", status=Article.Status.SOURCE)
    response = editor_client.post(reverse("articles:reannotate", args=[source.pk]), follow=True)
    source.refresh_from_db()
    assert source.status == Article.Status.SOURCE
    assert "A source is not pre-annotated" in response.content.decode()


def test_an_article_with_a_new_inline_source_and_an_existing_one(
    editor_client, make_article, django_capture_on_commit_callbacks
):
    existing = make_article(title="Budget report", kind="report", status="source")
    data = upload_data(
        sources=[existing.pk],
        **{
            "new-0-title": "Council minutes",
            "new-0-kind": "transcript",
            "new-0-text": "The council voted 7 to 2 on Monday.",
        },
    )
    with django_capture_on_commit_callbacks() as callbacks:
        response = editor_client.post(UPLOAD, data)
    article = Article.objects.get(title="Council approves budget")
    minutes = Article.objects.get(title="Council minutes")
    assert response.status_code == 302
    assert set(article.sources.all()) == {existing, minutes}
    assert (minutes.kind, minutes.status) == ("transcript", Article.Status.SOURCE)
    assert minutes.uploaded_by == article.uploaded_by
    assert [callback.args for callback in callbacks] == [(article.pk,)]  # only the article


def test_several_inline_sources_one_as_a_file(editor_client):
    data = upload_data(
        **{
            "new-0-title": "Minutes",
            "new-0-text": "The council voted.",
            "new-1-title": "Press release",
            "new-1-kind": "press_release",
            "new-1-file": SimpleUploadedFile("release.txt", b"The mayor welcomed the vote."),
        }
    )
    assert editor_client.post(UPLOAD, data).status_code == 302
    article = Article.objects.get(kind="article")
    assert sorted(article.sources.values_list("title", "body")) == [
        ("Minutes", "The council voted."),
        ("Press release", "The mayor welcomed the vote."),
    ]


def test_a_refused_inline_file_says_why_by_name_and_keeps_the_rest(editor_client):
    data = upload_data(
        **{
            "new-0-title": "Scanned minutes",
            "new-0-file": SimpleUploadedFile("minutes.pdf", b"%PDF-1.7 binary"),
        }
    )
    response = editor_client.post(UPLOAD, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert Article.objects.count() == 0
    summary = page[page.index('class="error-summary"') : page.index("</ul>")]
    assert "“minutes.pdf” was not used" in summary
    assert 'href="#id_new-0-file"' in summary
    # What the editor typed is all still there.
    assert 'value="Council approves budget"' in page and 'value="Scanned minutes"' in page
    assert "The council approved the budget on Monday." in page


def test_a_refused_article_file_is_named_in_the_summary_at_the_top(editor_client):
    data = upload_data(text="", file=SimpleUploadedFile("story.docx", b"PK\x03\x04zipped"))
    page = editor_client.post(UPLOAD, data).content.decode()
    assert page.index('class="error-summary"') < page.index('id="upload-form"')
    assert "“story.docx” was not used" in page
    assert 'href="#id_file"' in page
    assert 'value="Council approves budget"' in page


def test_an_inline_source_needs_a_title_and_a_text(editor_client):
    response = editor_client.post(UPLOAD, upload_data(**{"new-0-text": "Some text."}))
    page = response.content.decode()
    assert response.status_code == 400 and Article.objects.count() == 0
    assert "New source 1: Title: This field is required." in page
    response = editor_client.post(UPLOAD, upload_data(**{"new-1-title": "Empty"}))
    assert "New source 2: The source has no text" in response.content.decode()


def test_too_many_inline_sources_are_refused(editor_client):
    data = upload_data(**{"new-TOTAL_FORMS": "11"})
    for n in range(11):
        data |= {f"new-{n}-kind": "report", f"new-{n}-title": f"S{n}", f"new-{n}-text": "Text."}
    response = editor_client.post(UPLOAD, data)
    assert response.status_code == 400 and Article.objects.count() == 0


@pytest.mark.parametrize("sources", [["999999"], ["abc"], [str(2**63)]])
def test_unknown_sources_are_refused(editor_client, sources):
    response = editor_client.post(UPLOAD, upload_data(sources=sources))
    assert response.status_code == 400 and Article.objects.count() == 0
    assert 'href="#id_sources"' in response.content.decode()


def test_the_picker_searches_without_javascript_and_keeps_what_was_typed(
    editor_client, make_article
):
    chosen = make_article(title="Chosen report", kind="report", status="source")
    make_article(title="Budget audit", kind="report", status="source")
    make_article(title="Unrelated", body="Nothing here.")
    data = upload_data(title="", source_q="budget", find_sources="1", sources=[chosen.pk])
    response = editor_client.post(UPLOAD, data)
    page = response.content.decode()
    assert response.status_code == 200 and Article.objects.count() == 3
    assert "Budget audit" in page and "Unrelated" not in page
    assert f'value="{chosen.pk}" checked' in page
    assert "The council approved the budget on Monday." in page
    assert "error-summary" not in page  # a search is not a submission


def test_the_upload_form_lists_no_articles(editor_client, make_article):
    make_article(title="Never listed")
    page = editor_client.get(UPLOAD).content.decode()
    assert "Never listed" not in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page
    assert f'hx-get="{SEARCH}"' in page


@pytest.mark.parametrize("articles", [2, 40])
def test_upload_form_query_count_does_not_grow(
    editor_client, make_article, session_lookups, django_assert_num_queries, articles
):
    for _ in range(articles):
        make_article()
    # Session (unless cached), user, permissions; nothing else: the picker lists nothing.
    with django_assert_num_queries(session_lookups + 2):
        assert editor_client.get(UPLOAD).status_code == 200


# The picker's search


def test_picker_search_returns_only_its_results_partial(editor_client, make_article, htmx_headers):
    make_article(title="Budget audit", kind="report", status="source")
    response = editor_client.get(SEARCH, {"source_q": "budget audit"}, **htmx_headers)
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert page.startswith('<div id="source-results-sources"')
    assert "Budget audit" in page and 'name="sources"' in page
    assert "HX-Request" in response["Vary"]


def test_picker_search_keeps_the_ticked_and_leaves_out_archived_and_self(
    editor_client, make_article, htmx_headers
):
    article = make_article(title="Budget story")
    ticked = make_article(title="Budget ticked")
    make_article(title="Budget archived").archive()
    other = make_article(title="Budget other")
    response = editor_client.get(
        SEARCH,
        {"source_q": "budget", "sources": [ticked.pk], "source_for": article.pk},
        **htmx_headers,
    )
    page = response.content.decode()
    assert f'value="{ticked.pk}" checked' in page
    assert f'value="{other.pk}">' in page
    assert "Budget archived" not in page
    assert f'value="{article.pk}"' not in page


@pytest.mark.parametrize("query", ["' OR 1=1 --", "a & | !", "(", "*", "%%", "\x00"])
def test_picker_search_with_odd_syntax_is_just_text(editor_client, make_article, query):
    make_article(title="Budget")
    response = editor_client.get(SEARCH, {"source_q": query, "sources": ["x", "-1", "9" * 30]})
    assert response.status_code == 200
    assert "Budget" not in response.content.decode().split("<main", 1)[1]


def test_picker_search_without_javascript_is_a_page_that_saves_sources(editor_client, make_article):
    article = make_article(title="Story")
    make_article(title="Budget audit", kind="report", status="source")
    response = editor_client.get(SEARCH, {"source_q": "audit", "source_for": article.pk})
    page = response.content.decode()
    assert response.status_code == 200 and "<html" in page
    assert f'action="{reverse("articles:sources", args=[article.pk])}"' in page
    assert "Budget audit" in page


@pytest.mark.parametrize("query_count_articles", [2, 40])
def test_picker_search_query_count_does_not_grow(
    editor_client,
    make_article,
    session_lookups,
    django_assert_num_queries,
    htmx_headers,
    query_count_articles,
):
    for n in range(query_count_articles):
        make_article(title=f"Budget {n}")
    # Session (unless cached), user, permissions, the ticked, the matches.
    with django_assert_num_queries(session_lookups + 4):
        editor_client.get(SEARCH, {"source_q": "budget", "sources": ["1"]}, **htmx_headers)


def test_picker_search_needs_a_role(client, django_user_model):
    assert client.get(SEARCH).status_code == 302
    client.force_login(django_user_model.objects.create_user("nobody"))
    assert client.get(SEARCH).status_code == 403
    assert client.post(SEARCH).status_code in {403, 405}


# The sources of an existing article


def test_a_source_that_is_its_own_article_is_refused(editor_client, make_article):
    article = make_article()
    other = make_article()
    response = editor_client.post(
        reverse("articles:sources", args=[article.pk]),
        {"sources": [article.pk, other.pk]},
        follow=True,
    )
    assert "An article cannot be its own source." in response.content.decode()
    assert article.sources.count() == 0


def test_any_article_can_be_another_articles_source(editor_client, make_article):
    article, other_article = make_article(), make_article()
    editor_client.post(
        reverse("articles:sources", args=[article.pk]), {"sources": [other_article.pk]}
    )
    assert list(article.sources.all()) == [other_article]


def test_the_review_page_lists_only_the_chosen_sources(editor_client, make_article):
    source = make_article(title="The chosen source", kind="report", status="source")
    make_article(title="Not a source of it")
    article = make_article(sources=[source])
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert f'name="sources" value="{source.pk}" checked' in page
    assert "Not a source of it" not in page
    assert 'name="source_for"' in page


def test_a_sources_page_offers_no_pre_annotation(editor_client, make_article):
    source = make_article(kind="report", status=Article.Status.SOURCE)
    page = editor_client.get(source.get_absolute_url()).content.decode()
    assert "Source: not reviewed" in page
    assert reverse("articles:reannotate", args=[source.pk]) not in page
