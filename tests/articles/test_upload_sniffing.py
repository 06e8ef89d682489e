"""An upload's type comes from its content, never from its name alone."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db
URL = reverse("articles:upload")


def upload(client, filename: str, content: bytes):
    return client.post(URL, {"title": "Budget", "file": SimpleUploadedFile(filename, content)})


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 the council", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "a ZIP archive"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"),
        (b"{\\rtf1\\ansi The council approved", "an RTF document"),
    ],
)
def test_a_document_renamed_to_txt_is_refused_by_what_it_is(editor_client, content, kind):
    response = upload(editor_client, "story.txt", content)
    assert response.status_code == 400
    assert f"The file is {kind}" in response.content.decode()
    assert not Article.objects.exists()


def test_an_html_page_named_txt_is_reduced_to_its_text(editor_client):
    page = b"<!DOCTYPE html><html><body><p>The council met.</p><script>x()</script></body></html>"
    assert upload(editor_client, "story.txt", page).status_code == 302
    assert Article.objects.get().body == "The council met."


def test_an_html_file_without_markup_keeps_its_text_as_written(editor_client):
    assert (
        upload(editor_client, "story.html", b"Tax  &amp;  spend,\n\nsaid the mayor.").status_code
        == 302
    )
    assert Article.objects.get().body == "Tax  &amp;  spend,\n\nsaid the mayor."


def test_a_markdown_file_may_mention_tags_and_stays_text(editor_client):
    text = b"Use the <b> element for bold, the guide says."
    assert upload(editor_client, "guide.md", text).status_code == 302
    assert Article.objects.get().body == text.decode()


def test_a_large_file_is_refused_with_its_limit(editor_client):
    response = upload(editor_client, "long.txt", b"word " * 500_000)
    assert response.status_code == 400
    assert "larger than 2 MB" in response.content.decode()
