"""Editors archive (hidden, restorable); admins delete for good, told what goes with it,
and never a source another article still cites."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from articles.models import Article
from claims.models import Claim, VerdictChange

pytestmark = pytest.mark.django_db

LIST = reverse("articles:list")


def archive_url(article) -> str:
    return reverse("articles:archive", args=[article.pk])


def delete_url(article) -> str:
    return reverse("articles:delete", args=[article.pk])


@pytest.fixture
def admin_client(client, django_user_model, roles):
    admin = django_user_model.objects.create_user("ada")
    admin.groups.add(Group.objects.get(name="admin"))
    client.force_login(admin)
    return client


def test_an_archived_article_leaves_the_lists_and_comes_back(editor_client, make_article):
    article = make_article(title="Junk upload")
    response = editor_client.post(archive_url(article))
    assert response.status_code == 302 and response.url == LIST
    article.refresh_from_db()
    assert article.is_archived
    assert ">Junk upload</a>" not in editor_client.get(LIST).content.decode()
    archived = editor_client.get(LIST, {"kind": "all", "archived": "on"}).content.decode()
    assert "Junk upload" in archived and reverse("articles:restore", args=[article.pk]) in archived

    editor_client.post(reverse("articles:restore", args=[article.pk]))
    article.refresh_from_db()
    assert not article.is_archived
    assert ">Junk upload</a>" in editor_client.get(LIST).content.decode()


def test_an_archived_source_still_serves_the_articles_citing_it(editor_client, make_article):
    source = make_article(title="Old report", kind="report", status="source")
    article = make_article(sources=[source])
    editor_client.post(archive_url(source))
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert "Old report" in page and "archived" in page


def test_viewers_cannot_archive_restore_or_delete(viewer_client, make_article):
    article = make_article()
    assert viewer_client.post(archive_url(article)).status_code == 403
    assert viewer_client.post(reverse("articles:restore", args=[article.pk])).status_code == 403
    assert viewer_client.get(delete_url(article)).status_code == 403
    article.refresh_from_db()
    assert not article.is_archived


def test_editors_archive_but_cannot_delete(editor_client, make_article):
    article = make_article()
    assert editor_client.get(delete_url(article)).status_code == 403
    assert editor_client.post(delete_url(article)).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()
    assert "Delete…" not in editor_client.get(LIST).content.decode()


def test_archive_is_post_only_with_csrf(editor, make_article):
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get(archive_url(article)).status_code == 405
    assert client.post(archive_url(article)).status_code == 403
    assert client.post(delete_url(article)).status_code == 403


def test_delete_answers_only_get_and_post(admin_client, make_article):
    article = make_article()
    assert admin_client.put(delete_url(article)).status_code == 405
    assert admin_client.delete(delete_url(article)).status_code == 405
    assert Article.objects.filter(pk=article.pk).exists()


def test_archiving_a_missing_article_is_a_404(editor_client):
    assert editor_client.post(reverse("articles:archive", args=[999999])).status_code == 404


def test_the_delete_confirmation_says_what_goes_with_it(
    admin_client, make_article, make_claim, editor
):
    article = make_article(title="Junk upload")
    first = make_claim(article, text="The council approved the budget on Monday.")
    make_claim(article, text="It is a bold and welcome step.")
    first.set_verdict(label="sourced", note="", editor=editor)
    first.set_verdict(label="disputed", note="", editor=editor)
    page = admin_client.get(delete_url(article)).content.decode()
    assert "2 claims" in page and "1 verdict editors made" in page
    assert "2 entries of verdict history" in page
    assert f'action="{delete_url(article)}"' in page
    assert Article.objects.filter(pk=article.pk).exists()  # asking deletes nothing


def test_an_admin_deletes_for_good_with_claims_and_history(
    admin_client, make_article, make_claim, editor
):
    article = make_article(title="Junk upload")
    claim = make_claim(article)
    claim.set_verdict(label="sourced", note="", editor=editor)
    kept = make_article(title="Kept")
    response = admin_client.post(delete_url(article), follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert "is deleted for good" in response.content.decode()
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert not VerdictChange.objects.filter(claim_id=claim.pk).exists()
    assert Article.objects.filter(pk=kept.pk).exists()


def test_a_source_in_use_cannot_be_deleted(admin_client, make_article):
    source = make_article(title="The report", kind="report", status="source")
    citer = make_article(title="The story that cites it", sources=[source])
    page = admin_client.get(delete_url(source)).content.decode()
    assert "It cannot be deleted" in page and "The story that cites it" in page
    assert f'action="{delete_url(source)}"' not in page
    response = admin_client.post(delete_url(source))
    assert response.status_code == 409
    assert Article.objects.filter(pk=source.pk).exists()
    assert list(citer.sources.all()) == [source]


def test_an_article_citing_sources_can_be_deleted_and_the_sources_stay(admin_client, make_article):
    source = make_article(kind="report", status="source")
    citer = make_article(sources=[source])
    assert admin_client.post(delete_url(citer)).status_code == 302
    assert Article.objects.filter(pk=source.pk).exists()


def test_viewers_are_offered_no_archive_or_delete(viewer_client, make_article):
    article = make_article()
    page = viewer_client.get(LIST).content.decode()
    assert archive_url(article) not in page and delete_url(article) not in page


def test_admins_are_offered_delete_in_the_list(admin_client, make_article):
    article = make_article()
    assert delete_url(article) in admin_client.get(LIST).content.decode()
