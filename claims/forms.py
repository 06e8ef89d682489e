from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from articles.forms import ArticlesField
from articles.models import Article
from articles.validators import StorableTextForm
from claims.models import Claim, Label
from claims.reasons import FINDINGS, reason_name


class VerdictForm(StorableTextForm):
    label = forms.ChoiceField(choices=Label.choices)
    note = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The claim version the editor saw; without it the write is unconditional.
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class MarkForm(VerdictForm):
    """A verdict from the review desk, which always says which version of the claim the
    editor saw: a key press never acts on a claim that changed since."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    # Sent by the desk's script when the claim's row is not in the (shortened) claim list:
    # the answer then leaves the row out instead of swapping it into nothing.
    unlisted = forms.BooleanField(required=False, widget=forms.HiddenInput)


class NoteForm(StorableTextForm):
    note = VerdictForm.base_fields["note"]
    version = MarkForm.base_fields["version"]


class SourceSpanForm(forms.Form):
    """Which sentence of a source to show set apart (bad values show the text alone)."""

    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)


class ReviewFilterForm(StorableTextForm):
    """Triage filters and sort of the review page; they live in the URL so a view can be shared."""

    state = forms.ChoiceField(
        choices=[("", "All claims"), ("undecided", "Undecided"), ("decided", "Decided")],
        required=False,
    )
    verdict = forms.ChoiceField(choices=[("", "Any verdict"), *Label.choices], required=False)
    suggested = forms.ChoiceField(
        label="Suggested",
        choices=[
            ("", "Any suggestion"),
            *((key, FINDINGS[key]) for key in ("sourced", "contradicted", "uncovered")),
            ("disputed", "Either kind of disputed"),
            ("opinion", FINDINGS["opinion"]),
        ],
        required=False,
    )
    reason = forms.CharField(required=False, max_length=40, widget=forms.Select)
    sort = forms.ChoiceField(
        choices=[
            ("position", "Order in the text"),
            ("contradictions", "Contradictions first"),
            ("confidence", "Least sure first"),
        ],
        required=False,
    )
    claim = forms.IntegerField(required=False, widget=forms.HiddenInput)
    rows = forms.IntegerField(required=False, widget=forms.HiddenInput)

    FILTERS = ("state", "verdict", "suggested", "reason", "sort")
    # The claim list shows this many rows at first, and this many more at each "Show more":
    # a 500-claim article's page stays light, and the text still shows every claim.
    ROWS = 100

    def __init__(self, *args, reasons: list[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.choices = [
            ("", "Any reason"),
            *((code, reason_name(code)) for code in reasons),
        ]

    def filters(self) -> dict[str, str]:
        """The valid, non-empty filters (bad values are dropped rather than refused)."""
        self.is_valid()
        return {
            name: self.cleaned_data[name] for name in self.FILTERS if self.cleaned_data.get(name)
        }

    def selected(self) -> int | None:
        self.is_valid()
        return self.cleaned_data.get("claim")

    def row_count(self) -> int:
        """How many rows to list: at least ROWS; a bad value (text, negative) reads as ROWS,
        and a huge one lists every claim."""
        self.is_valid()
        return max(self.cleaned_data.get("rows") or 0, self.ROWS)


class BulkAcceptForm(forms.Form):
    min_percent = forms.IntegerField(
        label="Accept every suggestion at least this sure (%)", min_value=1, max_value=100
    )


class RestructureForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    at = forms.IntegerField(required=False, min_value=1)


class ExportFilterForm(StorableTextForm):
    DECIDED_CHOICES = [("", "Any"), ("yes", "Decided"), ("no", "Undecided")]

    article = ArticlesField(
        label="Articles",
        queryset=Article.objects.order_by("title"),
        required=False,
        help_text="None selected: every article.",
    )
    verdict = forms.ChoiceField(choices=[("", "Any"), *Label.choices], required=False)
    suggested = forms.ChoiceField(
        label="Suggested label", choices=[("", "Any"), *Label.choices], required=False
    )
    decided = forms.ChoiceField(choices=DECIDED_CHOICES, required=False)
    editor = forms.ModelChoiceField(
        queryset=get_user_model().objects.order_by("username"),
        to_field_name="username",
        required=False,
        empty_label="Any editor",
        help_text="Who made the current verdict.",
    )
    decided_from = forms.DateField(
        label="Decided from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    decided_to = forms.DateField(
        label="Decided until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Both dates included, in the site's time zone.",
    )
    bom = forms.BooleanField(
        label="Mark the CSV as UTF-8 for Excel (BOM)",
        required=False,
        help_text="Excel needs it to show accented letters right.",
    )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("decided_from"), data.get("decided_to")
        if start and end and start > end:
            self.add_error("decided_to", "The end date is before the start date.")
        return data

    def claims(self) -> QuerySet[Claim]:
        """The claims the (valid) filters select."""
        data = self.cleaned_data
        claims = Claim.objects.all()
        if data["article"]:
            claims = claims.filter(article__in=data["article"])
        if data["verdict"]:
            claims = claims.filter(verdict=data["verdict"])
        if data["suggested"]:
            claims = claims.filter(suggested_label=data["suggested"])
        if data["decided"] == "yes":
            claims = claims.exclude(verdict="")
        elif data["decided"] == "no":
            claims = claims.filter(verdict="")
        if data["editor"]:
            claims = claims.filter(decided_by=data["editor"])
        if data["decided_from"]:
            claims = claims.filter(decided_at__date__gte=data["decided_from"])
        if data["decided_to"]:
            claims = claims.filter(decided_at__date__lte=data["decided_to"])
        return claims
