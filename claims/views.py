from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url, reswap, retarget

from articles.models import Article
from articles.search import picker_context
from claims.export import annotation_collection, claim_review_document, csv_chunks
from claims.forms import (
    BulkAcceptForm,
    ExportFilterForm,
    MarkForm,
    NoteForm,
    RestructureForm,
    SourceSpanForm,
)
from claims.models import Claim, StaleClaim
from claims.review import (
    claim_detail,
    filters_from,
    marked_context,
    next_undecided,
    review_context,
    select_url,
    source_parts,
)
from claims.verdicts import accept_suggestions, merge_with_next, split_claim, undo_last

STALE = "Another editor changed this claim meanwhile; nothing was changed. Here it is now."
# The stored embeddings of an article used as a source are large and never shown here.
ARTICLES = Article.objects.defer("prepared_source")
CLAIMS = Claim.objects.select_related("article").defer("article__prepared_source")


@require_GET
@permission_required("claims.view_claim", raise_exception=True)
@vary_on_headers("HX-Request", "HX-Target")
def review(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(ARTICLES, pk=pk)
    if request.htmx.target == "detail":  # selecting a claim: just its panel
        return render(request, "claims/_claim.html", claim_detail(article, request.GET))
    template = "claims/_review.html" if request.htmx else "claims/review.html"
    return render(request, template, review_context(article, request.GET))


@require_POST
@permission_required("claims.change_claim", raise_exception=True)
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)  # its article is needed only when refused
    form = MarkForm(request.POST)
    filters = filters_from(request.POST)
    if not form.is_valid():
        return _verdict_refused(request, claim, filters, form=form, status=400)
    label, note = form.cleaned_data["label"], form.cleaned_data["note"]
    try:
        claim.set_verdict(
            label=label, note=note, editor=request.user, seen_version=form.cleaned_data["version"]
        )
    except StaleClaim:
        claim.refresh_from_db()
        # The same verdict by the same editor (a double submit) is done, not a conflict.
        if (claim.verdict, claim.note, claim.decided_by_id) != (label, note, request.user.pk):
            return _verdict_refused(request, claim, filters, form=form, status=409)
    if request.htmx:
        listed = not form.cleaned_data["unlisted"]
        context = marked_context(claim, filters=filters, listed=listed)
        return render(request, "claims/_claim_marked.html", context)
    following = next_undecided(claim) or claim
    return redirect(select_url(claim.article_id, filters) + f"{following.pk}#detail")


@require_POST
@permission_required("claims.change_claim", raise_exception=True)
def note(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the note alone, keeping the verdict; history records it as a note change."""
    claim = get_object_or_404(Claim, pk=pk)
    form = NoteForm(request.POST)
    filters = filters_from(request.POST)
    if not form.is_valid():
        return _verdict_refused(request, claim, filters, form=form, status=400)
    try:
        claim.set_verdict(
            label=claim.verdict,
            note=form.cleaned_data["note"],
            editor=request.user,
            seen_version=form.cleaned_data["version"],
        )
    except StaleClaim:
        return _verdict_refused(request, claim, filters, form=form, status=409)
    data = QueryDict(mutable=True)
    data.update({**filters, "claim": claim.pk})
    if request.htmx:
        context = claim_detail(ARTICLES.get(pk=claim.article_id), data) | {"note_saved": True}
        return render(request, "claims/_claim.html", context)
    messages.success(request, f"Saved the note of #{claim.position}.")
    return redirect(select_url(claim.article_id, filters) + f"{claim.pk}#detail")


@require_GET
@permission_required("claims.view_claim", raise_exception=True)
def source(request: HttpRequest, pk: int) -> HttpResponse:
    """A source's whole text, with the evidence sentence the desk linked to set apart."""
    article = get_object_or_404(ARTICLES, pk=pk)
    before, evidence, after = source_parts(article.body, SourceSpanForm(request.GET))
    context = {"source": article, "before": before, "evidence": evidence, "after": after}
    return render(request, "claims/source.html", context)


def _verdict_refused(request, claim: Claim, filters: dict, *, form, status: int) -> HttpResponse:
    """The claim as it now stands, with the editor's refused choice and note kept."""
    data = QueryDict(mutable=True)
    data.update({**filters, "claim": claim.pk})
    extra = {"form": form, "stale": status == 409}
    article = ARTICLES.get(pk=claim.article_id)
    if request.htmx:
        claim.refresh_from_db()
        marked = marked_context(
            claim, filters=filters, listed=not form.cleaned_data.get("unlisted")
        )
        context = marked | claim_detail(article, data)
        response = render(request, "claims/_claim_refused.html", context | extra, status=status)
        return retarget(reswap(response, "outerHTML"), "#detail")
    context = review_context(article, data) | extra
    return render(request, "claims/review.html", context, status=status)


def _back_to_review(request, article: Article, filters: dict, claim_pk=None) -> HttpResponse:
    """After a page-wide action: the review again (its partial for htmx), URL kept in step."""
    url = select_url(article.pk, filters) + str(claim_pk or "")
    if request.htmx:
        context = review_context(article, QueryDict(url.split("?", 1)[1]))
        return push_url(render(request, "claims/_review.html", context), url)
    return redirect(url)


@require_POST
@permission_required("claims.change_claim", raise_exception=True)
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(ARTICLES, pk=pk)
    outcome = undo_last(article=article, editor=request.user)
    if not outcome.changes:
        messages.info(request, "Nothing of yours left to undo on this article.")
        return _back_to_review(request, article, filters_from(request.POST))
    first = outcome.changes[0]
    if first.batch:
        messages.success(request, f"Undid the bulk accept: {len(outcome.changes)} claims restored.")
    else:
        restored = first.get_new_label_display() or "undecided"
        messages.success(request, f"Undid your last change: #{first.claim.position} is {restored}.")
    if outcome.skipped:
        messages.warning(request, f"{outcome.skipped} changed by another editor since were kept.")
    return _back_to_review(request, article, filters_from(request.POST), first.claim_id)


@require_POST
@permission_required("claims.change_claim", raise_exception=True)
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(ARTICLES, pk=pk)
    form = BulkAcceptForm(request.POST)
    if form.is_valid():
        percent = form.cleaned_data["min_percent"]
        outcome = accept_suggestions(
            article=article, editor=request.user, min_confidence=percent / 100
        )
        messages.success(
            request,
            f"Accepted {len(outcome.changes)} suggestions at least {percent}% sure; "
            "undo reverts them together.",
        )
    else:
        messages.error(request, "Give a confidence between 1 and 100%.")
    return _back_to_review(request, article, filters_from(request.POST))


@require_POST
@permission_required("claims.change_claim", raise_exception=True)
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(CLAIMS, pk=pk)
    form = RestructureForm(request.POST)
    try:
        if not form.is_valid():
            raise ValueError("That form was incomplete; reload the page and try again.")
        merge_with_next(claim=claim, editor=request.user, seen_version=form.cleaned_data["version"])
        messages.success(request, f"Merged #{claim.position} with the claim after it.")
    except StaleClaim:
        messages.error(request, STALE)
    except ValueError as exc:
        messages.error(request, str(exc))
    return _back_to_review(request, claim.article, filters_from(request.POST), claim.pk)


@require_POST
@permission_required("claims.change_claim", raise_exception=True)
def split(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(CLAIMS, pk=pk)
    form = RestructureForm(request.POST)
    try:
        if not form.is_valid() or form.cleaned_data["at"] is None:
            raise ValueError("Choose where to split the claim.")
        split_claim(
            claim=claim,
            at=form.cleaned_data["at"],
            editor=request.user,
            seen_version=form.cleaned_data["version"],
        )
        messages.success(request, f"Split #{claim.position} in two; both parts are undecided.")
    except StaleClaim:
        messages.error(request, STALE)
    except ValueError as exc:
        messages.error(request, str(exc))
    return _back_to_review(request, claim.article, filters_from(request.POST), claim.pk)


@require_GET
@permission_required("claims.view_claim", raise_exception=True)
def export(request: HttpRequest) -> HttpResponse:
    form = ExportFilterForm(request.GET)
    if request.GET.get("format") == "csv" and form.is_valid():
        chunks = csv_chunks(claims=form.claims(), bom=form.cleaned_data["bom"])
        return _download(chunks, content_type="text/csv; charset=utf-8", extension="csv")
    return _export_page(request, form, status=400 if form.errors else 200)


@require_GET
@permission_required("claims.view_claim", raise_exception=True)
def export_claimreview(request: HttpRequest) -> HttpResponse:
    form = ExportFilterForm(request.GET)
    if not form.is_valid():
        return _export_page(request, form, status=400)
    chunks = claim_review_document(claims=form.claims(), site=_site(request))
    return _download(chunks, content_type="application/ld+json", extension="claimreview.json")


@require_GET
@permission_required("claims.view_claim", raise_exception=True)
def export_annotations(request: HttpRequest) -> HttpResponse:
    form = ExportFilterForm(request.GET)
    if not form.is_valid():
        return _export_page(request, form, status=400)
    chunks = annotation_collection(
        claims=form.claims(), site=_site(request), collection_id=request.build_absolute_uri()
    )
    content_type = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    return _download(chunks, content_type=content_type, extension="jsonld")


def _export_page(request: HttpRequest, form: ExportFilterForm, *, status: int) -> HttpResponse:
    # The article filter is the search-as-you-type picker: it never lists every article.
    context = {"form": form, **picker_context(data=request.GET, field="article")}
    return render(request, "claims/export.html", context, status=status)


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").removesuffix("/")


def _download(chunks, *, content_type: str, extension: str) -> StreamingHttpResponse:
    filename = f"factcheck-verdicts-{timezone.now():%Y%m%d-%H%M}.{extension}"
    return StreamingHttpResponse(
        chunks,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
