from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from articles import search
from articles.models import Article
from articles.services import SourceText
from articles.text import (
    HTML_EXTENSIONS,
    MAX_UPLOAD_BYTES,
    TEXT_EXTENSIONS,
    UnreadableText,
    decode_upload,
    most_sentences,
    normalise,
)
from articles.validators import StorableTextForm

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


class TextOrFileForm(StorableTextForm):
    """A text, pasted or uploaded as a file; the cleaned result is in cleaned_data["body"]."""

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
    what = "article"

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if len(text.encode()) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The text is longer than 2 MB.")
        return normalise(text)

    def clean_file(self) -> str:
        """The uploaded file's text, in place of the file. A refusal names the file."""
        upload = self.cleaned_data["file"]
        if not upload:
            return ""
        refused = f"“{PurePath(upload.name).name}” was not used: "
        extension = PurePath(upload.name).suffix.lower()
        if extension not in ACCEPTED:
            raise forms.ValidationError(
                refused + f"upload a .txt, .md or .html file; "
                f"{extension or 'a file without an extension'} is not supported."
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(refused + "the file is larger than 2 MB.")
        try:
            return decode_upload(upload.read(), extension)
        except UnreadableText as exc:
            raise forms.ValidationError(refused + str(exc)) from exc

    def clean(self) -> dict:
        cleaned = super().clean()
        if "text" in self.errors or "file" in self.errors:
            return cleaned
        text, file_text = cleaned.get("text"), cleaned.get("file")
        if text and self.files.get(self.add_prefix("file")):
            raise forms.ValidationError("Paste the text or upload a file, not both.")
        body = file_text or text
        if not body:
            raise forms.ValidationError(
                f"The {self.what} has no text: paste it, or upload a file that contains some."
            )
        limit = settings.ANNOTATION_MAX_CLAIMS
        if most_sentences(body, claim_chars=settings.ANNOTATION_MAX_CLAIM_CHARS) > limit:
            raise forms.ValidationError(
                f"The article may have more than {limit:,} sentences, the most pre-annotation "
                "checks in one article. Split it into shorter articles."
            )
        cleaned["body"] = body
        return cleaned


class ArticleUploadForm(TextOrFileForm):
    kind = forms.ChoiceField(
        label="This is",
        choices=Article.Kind.choices,
        initial=Article.Kind.ARTICLE,
        required=False,  # an article to check, unless said otherwise
        help_text="An article to check is split into claims and pre-annotated; "
        "a source is kept for the articles that cite it.",
    )
    title = forms.CharField(max_length=300)
    outlet = forms.CharField(max_length=200, required=False)
    url = forms.URLField(label="URL", max_length=1000, required=False, assume_scheme="https")
    published_on = forms.DateField(
        label="Publication date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    # Ticked in the source picker; only the ids sent are looked up, never the whole library.
    sources = ArticlesField(
        queryset=Article.objects.all(), required=False, help_text="The texts this one draws on."
    )

    field_order = ["kind", "title", "outlet", "url", "published_on", "text", "file"]


class NewSourceForm(TextOrFileForm):
    """A source text added inline with the article that cites it."""

    kind = forms.ChoiceField(
        label="Kind", choices=[(k.value, k.label) for k in Article.SOURCE_KINDS]
    )
    title = forms.CharField(max_length=300)
    outlet = forms.CharField(max_length=200, required=False)
    url = forms.URLField(label="URL", max_length=1000, required=False, assume_scheme="https")

    field_order = ["kind", "title", "outlet", "url", "text", "file"]
    what = "source"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["rows"] = 5
        self.fields["text"].label = "Paste its text"

    def has_changed(self) -> bool:
        # The kind has a default; a form where nothing else was given is an unused blank.
        return any(name in self.changed_data for name in ("title", "outlet", "url", "text", "file"))


class BaseNewSourceFormSet(forms.BaseFormSet):
    def is_valid(self) -> bool:
        # Scripts may post an article alone, without this formset: nothing to add is valid.
        return not self.is_bound or super().is_valid()

    def source_texts(self) -> list[SourceText]:
        """The sources filled in (blank ones are left out), once valid."""
        fields = ("title", "body", "kind", "outlet", "url")
        return [
            SourceText(**{name: form.cleaned_data[name] for name in fields})
            for form in self.forms
            if self.is_bound and form.has_changed()
        ]


NewSourceFormSet = forms.formset_factory(
    NewSourceForm,
    formset=BaseNewSourceFormSet,
    extra=2,
    max_num=10,
    validate_max=True,
    absolute_max=10,
)


def new_sources_from(request) -> BaseNewSourceFormSet:
    if "new-TOTAL_FORMS" not in request.POST:
        return NewSourceFormSet(prefix="new")
    return NewSourceFormSet(request.POST, request.FILES, prefix="new")


class SourcesForm(forms.Form):
    """The sources of an existing article, as ticked in the source picker."""

    sources = ArticlesField(queryset=Article.objects.all(), required=False)

    def __init__(self, *args, article: Article, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.article = article

    def clean_sources(self) -> list[Article]:
        sources = self.cleaned_data["sources"]
        if any(source.pk == self.article.pk for source in sources):
            raise forms.ValidationError("An article cannot be its own source.")
        return sources


class ArticleFilterForm(forms.Form):
    """The library's search, filters and order; they live in the URL (a GET form).

    A bad value is reported and left out, never a reason to show nothing or fail.
    """

    KIND_CHOICES = [
        ("", "Articles to check"),
        ("sources", "Sources of every kind"),
        *((k.value, f"Sources: {k.label.lower()}") for k in Article.SOURCE_KINDS),
        ("all", "Articles and sources"),
    ]

    q = forms.CharField(label="Search", required=False, max_length=200)
    kind = forms.ChoiceField(choices=KIND_CHOICES, required=False)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Article.Status.choices], required=False
    )
    progress = forms.ChoiceField(label="Review", choices=search.PROGRESS_CHOICES, required=False)
    uploader = forms.ModelChoiceField(
        queryset=get_user_model().objects.order_by("username").only("pk", "username"),
        to_field_name="username",
        required=False,
        empty_label="Anyone",
        label="Uploaded by",
    )
    uploaded_from = forms.DateField(
        label="Uploaded from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    uploaded_to = forms.DateField(
        label="until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    archived = forms.BooleanField(label="Archived only", required=False)
    sort = forms.ChoiceField(choices=search.ORDER_CHOICES, required=False)

    def articles(self) -> QuerySet[Article]:
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        articles = Article.objects.filter(archived_at__isnull=not data.get("archived"))
        kind = data.get("kind")
        if kind == "sources":
            articles = articles.exclude(kind=Article.Kind.ARTICLE)
        elif kind != "all":
            articles = articles.filter(kind=kind or Article.Kind.ARTICLE)
        if data.get("status"):
            articles = articles.filter(status=data["status"])
        if data.get("uploader"):
            articles = articles.filter(uploaded_by=data["uploader"])
        # Whole days in the site's time zone, as a range the upload-time index can use.
        if data.get("uploaded_from"):
            articles = articles.filter(uploaded_at__gte=_midnight(data["uploaded_from"]))
        if data.get("uploaded_to"):
            articles = articles.filter(
                uploaded_at__lt=_midnight(data["uploaded_to"] + timedelta(days=1))
            )
        articles = search.with_progress(articles, data.get("progress", ""))
        articles = search.search(articles, data.get("q", ""))
        return articles.order_by(*search.ORDERS[data.get("sort") or "newest"])


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def error_summary(*forms_and_formsets) -> list[tuple[str, str]]:
    """(the id of the field to link to, the message) for every error, in page order, so the
    top of the page lists them all, each a link to its field."""
    summary = []
    for item in forms_and_formsets:
        if isinstance(item, forms.BaseFormSet):
            if item.is_bound:
                summary += [(f"{item.prefix}-sources", e) for e in item.non_form_errors()]
            for number, form in enumerate(item.forms, start=1):
                summary += [
                    (anchor, f"New source {number}: {message}")
                    for anchor, message in error_summary(form)
                ]
            continue
        # Errors of the whole form are about its text: no text, or both text and a file.
        text = item["text"].auto_id if "text" in item.fields else ""
        summary += [(text, e) for e in item.non_field_errors()]
        for field in item:
            summary += [(field.auto_id, f"{field.label}: {e}") for e in field.errors]
    return summary


class VersionForm(TextOrFileForm):
    """A corrected text of an article, pasted or uploaded, read exactly as an upload is."""

    what = "corrected version"
