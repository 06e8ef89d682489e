from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from articles.models import Article
from claims.models import Claim, Label


class VerdictForm(forms.Form):
    label = forms.ChoiceField(choices=Label.choices)
    note = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExportFilterForm(forms.Form):
    DECIDED_CHOICES = [("", "Any"), ("yes", "Decided"), ("no", "Undecided")]

    article = forms.ModelChoiceField(
        queryset=Article.objects.order_by("title"), required=False, empty_label="All articles"
    )
    verdict = forms.ChoiceField(choices=[("", "Any"), *Label.choices], required=False)
    suggested = forms.ChoiceField(
        label="Suggested label", choices=[("", "Any"), *Label.choices], required=False
    )
    decided = forms.ChoiceField(choices=DECIDED_CHOICES, required=False)

    def claims(self) -> QuerySet[Claim]:
        """The claims the (valid) filters select."""
        data = self.cleaned_data
        claims = Claim.objects.all()
        if data["article"]:
            claims = claims.filter(article=data["article"])
        if data["verdict"]:
            claims = claims.filter(verdict=data["verdict"])
        if data["suggested"]:
            claims = claims.filter(suggested_label=data["suggested"])
        if data["decided"] == "yes":
            claims = claims.exclude(verdict="")
        elif data["decided"] == "no":
            claims = claims.filter(verdict="")
        return claims
