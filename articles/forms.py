from __future__ import annotations

from pathlib import PurePath

from django import forms

from articles.models import Article
from articles.text import (
    HTML_EXTENSIONS,
    MAX_UPLOAD_BYTES,
    TEXT_EXTENSIONS,
    UnreadableText,
    decode_upload,
    normalise,
)

ACCEPTED = sorted(TEXT_EXTENSIONS | HTML_EXTENSIONS)


class ArticlesField(forms.ModelMultipleChoiceField):
    """Articles chosen by id."""

    def clean(self, value):
        # An id beyond the database's integers would break the query instead of being refused.
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                out_of_range = abs(int(pk)) >= 2**63
            except (TypeError, ValueError):
                continue  # the usual "not a valid value" error follows
            if out_of_range:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


class SourcesField(ArticlesField):
    def label_from_instance(self, obj: Article) -> str:
        return f"{obj.title} ({obj.outlet})" if obj.outlet else obj.title


class ArticleUploadForm(forms.Form):
    title = forms.CharField(max_length=300)
    outlet = forms.CharField(max_length=200, required=False)
    url = forms.URLField(label="URL", max_length=1000, required=False, assume_scheme="https")
    published_on = forms.DateField(
        label="Publication date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label="Paste the text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    file = forms.FileField(
        label="…or upload a file",
        required=False,
        help_text="A .txt, .md or .html file of at most 2 MB, in UTF-8.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED)}),
    )
    sources = SourcesField(
        queryset=Article.objects.order_by("title"),
        required=False,
        help_text="The articles this one draws on.",
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if len(text.encode()) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The text is longer than 2 MB.")
        return normalise(text)

    def clean_file(self) -> str:
        """The uploaded file's text, in place of the file."""
        upload = self.cleaned_data["file"]
        if not upload:
            return ""
        extension = PurePath(upload.name).suffix.lower()
        if extension not in ACCEPTED:
            raise forms.ValidationError(
                f"Upload a .txt, .md or .html file; {extension or 'a file without an extension'} "
                "is not supported."
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB.")
        try:
            return decode_upload(upload.read(), extension)
        except UnreadableText as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self) -> dict:
        cleaned = super().clean()
        if "text" in self.errors or "file" in self.errors:
            return cleaned
        text, file_text = cleaned.get("text"), cleaned.get("file")
        if text and self.files.get("file"):
            raise forms.ValidationError("Paste the text or upload a file, not both.")
        body = file_text or text
        if not body:
            raise forms.ValidationError(
                "The article has no text: paste it, or upload a file that contains some."
            )
        cleaned["body"] = body
        return cleaned


class SourcesForm(forms.Form):
    sources = SourcesField(queryset=Article.objects.none(), required=False)

    def __init__(self, *args, article: Article, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = Article.objects.exclude(pk=article.pk).order_by("title")
        self.fields["sources"].initial = list(article.sources.values_list("pk", flat=True))


class VersionForm(forms.Form):
    """A corrected text of an article, pasted or uploaded, read exactly as an upload is."""

    text = ArticleUploadForm.base_fields["text"]
    file = ArticleUploadForm.base_fields["file"]
    clean_text = ArticleUploadForm.clean_text
    clean_file = ArticleUploadForm.clean_file

    def clean(self) -> dict:
        cleaned = super().clean()
        if "text" in self.errors or "file" in self.errors:
            return cleaned
        if cleaned.get("text") and self.files.get("file"):
            raise forms.ValidationError("Paste the text or upload a file, not both.")
        body = cleaned.get("file") or cleaned.get("text")
        if not body:
            raise forms.ValidationError(
                "The corrected version has no text: paste it, or upload a file that contains some."
            )
        cleaned["body"] = body
        return cleaned
