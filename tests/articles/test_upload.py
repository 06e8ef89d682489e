from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db

URL = reverse("articles:upload")


def form_data(**overrides):
    data = {
        "title": "Council approves budget",
        "outlet": "The Daily Test",
        "url": "https://example.org/budget",
        "published_on": "2025-01-05",
        "text": "The council approved the budget on Monday.\n\nIt passed 7 to 2.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_upload_page_shows_the_form(editor_client):
    response = editor_client.get(URL)
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content


def test_pasted_article_is_saved_and_annotation_enqueued_after_commit(
    editor_client, editor, django_capture_on_commit_callbacks, make_article
):
    source = make_article(title="The source")
    with django_capture_on_commit_callbacks() as callbacks:
        response = editor_client.post(URL, form_data(sources=[source.pk]))
    article = Article.objects.get(title="Council approves budget")
    assert response.status_code == 302
    assert response.url == reverse("claims:review", args=[article.pk])
    assert article.body == "The council approved the budget on Monday.\n\nIt passed 7 to 2."
    assert article.uploaded_by == editor
    assert article.status == Article.Status.QUEUED
    assert str(article.published_on) == "2025-01-05"
    assert list(article.sources.all()) == [source]
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [
        (
            "story.txt",
            b"Plain text story.\r\nSecond line.",
            "Plain text story.\nSecond line.",
        ),
        (
            "story.md",
            b"# Heading\n\nA *markdown* story.",
            "# Heading\n\nA *markdown* story.",
        ),
        ("story.txt", "\ufeffCafé owners said so.".encode(), "Café owners said so."),
        (
            "story.html",
            b"<html><head><title>T</title><style>p{}</style></head><body>"
            b"<h1>Budget &amp; tax</h1><p>The council <b>approved</b> it.</p>"
            b"<script>alert(1)</script><p>Next.</p></body></html>",
            "Budget & tax\n\nThe council approved it.\n\nNext.",
        ),
    ],
)
def test_uploaded_file_becomes_the_article_text(editor_client, filename, content, expected):
    upload = SimpleUploadedFile(filename, content)
    response = editor_client.post(URL, {**form_data(text=""), "file": upload})
    assert response.status_code == 302
    assert Article.objects.get().body == expected


@pytest.mark.parametrize(
    ("data", "file", "message"),
    [
        (form_data(text=""), None, "The article has no text"),
        (form_data(text="   \n  "), None, "The article has no text"),
        (form_data(title=""), None, "This field is required"),
        (form_data(url="not a url at all"), None, "Enter a valid URL"),
        (form_data(published_on="5th of never"), None, "Enter a valid date"),
        (form_data(sources=["999999"]), None, "Select a valid choice"),
        (form_data(text="x" * (2 * 1024 * 1024 + 1)), None, "longer than 2 MB"),
        (form_data(text=""), ("story.pdf", b"%PDF-1.4"), "is not supported"),
        (form_data(text=""), ("story", b"text"), "a file without an extension is not supported"),
        (form_data(text=""), ("story.txt", b"\xff\xfe\xfa broken"), "not UTF-8"),
        (form_data(text=""), ("story.txt", b"a\x00b"), "binary data"),
        (form_data(text=""), ("story.txt", b"x" * (2 * 1024 * 1024 + 1)), "larger than 2 MB"),
        (form_data(text=""), ("empty.txt", b""), "empty"),
        (
            form_data(text=""),
            ("blank.html", b"<p> </p><script>x</script>"),
            "The article has no text",
        ),
        (form_data(), ("story.txt", b"Both."), "not both"),
    ],
)
def test_bad_upload_gets_a_clear_error_and_saves_nothing(editor_client, data, file, message):
    if file:
        data = {**data, "file": SimpleUploadedFile(*file)}
    response = editor_client.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_upload_requires_login(client):
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Article.objects.exists()


def test_upload_rejects_other_methods(editor_client):
    assert editor_client.put(URL).status_code == 405


def test_upload_is_protected_against_csrf(editor, client):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    csrf_client.force_login(editor)
    response = csrf_client.post(URL, form_data())
    assert response.status_code == 403
    assert not Article.objects.exists()
