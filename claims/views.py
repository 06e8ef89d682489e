from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from articles.models import Article
from claims.export import csv_lines
from claims.forms import ExportFilterForm, VerdictForm
from claims.models import Claim
from claims.review import claim_context, review_context


@require_GET
@vary_on_headers("HX-Request")
def review(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("uploaded_by"), pk=pk)
    context = review_context(article)
    template = "claims/_review.html" if request.htmx else "claims/review.html"
    return render(request, template, context)


@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("article"), pk=pk)
    form = VerdictForm(request.POST)
    if form.is_valid():
        claim.set_verdict(
            label=form.cleaned_data["label"], note=form.cleaned_data["note"], editor=request.user
        )
        if request.htmx:
            return render(request, "claims/_claim_marked.html", claim_context(claim))
        return redirect(reverse("claims:review", args=[claim.article_id]) + f"#claim-{pk}")
    # Invalid: show the card again with the errors and the editor's note kept.
    if request.htmx:
        context = claim_context(claim)
        context["claim"].invalid_form = form
        return render(request, "claims/_claim_marked.html", context, status=400)
    context = review_context(claim.article)
    next(c for c in context["claims"] if c.pk == pk).invalid_form = form
    return render(request, "claims/review.html", context, status=400)


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    form = ExportFilterForm(request.GET)
    if request.GET.get("format") == "csv" and form.is_valid():
        filename = f"factcheck-verdicts-{timezone.now():%Y%m%d-%H%M}.csv"
        return StreamingHttpResponse(
            csv_lines(form.claims()),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return render(request, "claims/export.html", {"form": form}, status=400 if form.errors else 200)
