from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from articles import services
from articles.forms import (
    ArticleFilterForm,
    ArticleUploadForm,
    NewSourceFormSet,
    SourcesForm,
    VersionForm,
    error_summary,
    new_sources_from,
)
from articles.models import Article
from articles.search import nearest_page, picker_context, rows_of
from articles.versions import versions_context

PAGE_SIZE = 25
# Lists never show an article's text or its stored embeddings.
UNLISTED = ("body", "prepared_source", "status_message")
LISTED = Article.objects.defer(*UNLISTED)


@require_GET
@permission_required("articles.view_article", raise_exception=True)
@vary_on_headers("HX-Request")
def article_list(request: HttpRequest) -> HttpResponse:
    form = ArticleFilterForm(request.GET)
    ids = form.articles().values_list("pk", flat=True)
    page = nearest_page(Paginator(ids, PAGE_SIZE), request.GET.get("page"))
    articles = rows_of(page, LISTED.select_related("uploaded_by"))
    context = {
        "form": form,
        "page": page,
        "articles": articles,
        "any_pending": any(a.is_pending for a in articles),
    }
    template = "articles/_article_table.html" if request.htmx else "articles/article_list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@permission_required("articles.add_article", raise_exception=True)
def upload(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        form, new_sources = ArticleUploadForm(), NewSourceFormSet(prefix="new")
        return _upload_page(request, form, new_sources, request.GET)
    form, new_sources = ArticleUploadForm(request.POST, request.FILES), new_sources_from(request)
    if "find_sources" in request.POST:  # the picker's search without JavaScript
        return _upload_page(request, form, new_sources, request.POST, searching=True)
    if not (form.is_valid() and new_sources.is_valid()):
        return _upload_page(request, form, new_sources, request.POST, status=400)
    data = form.cleaned_data
    article = services.create_article(
        uploaded_by=request.user,
        kind=data["kind"] or Article.Kind.ARTICLE,
        title=data["title"],
        outlet=data["outlet"],
        url=data["url"],
        published_on=data["published_on"],
        body=data["body"],
        sources=data["sources"],
        new_sources=new_sources.source_texts(),
    )
    if article.is_source:
        messages.success(request, f"The source “{article.title}” is saved.")
    else:
        messages.success(request, f"“{article.title}” is saved; pre-annotation is queued.")
    return redirect(article)


def _upload_page(request, form, new_sources, data, *, searching=False, status=200):
    context = {
        "form": form,
        "new_sources": new_sources,
        # A search is not a submission: its blanks are not errors yet.
        "errors": [] if searching or not form.is_bound else error_summary(form, new_sources),
        "searching": searching,
        **picker_context(data=data),
    }
    return render(request, "articles/upload.html", context, status=status)


@require_GET
@permission_required("articles.view_article", raise_exception=True)
@vary_on_headers("HX-Request")
def source_search(request: HttpRequest) -> HttpResponse:
    """The source picker's matches: its partial for htmx, a page of its own without JS."""
    for_article = None
    if request.GET.get("source_for", "").isdigit():
        for_article = get_object_or_404(LISTED, pk=request.GET["source_for"])
    field = "article" if request.GET.get("picker_field") == "article" else "sources"
    context = picker_context(data=request.GET, field=field, for_article=for_article)
    template = "articles/_source_results.html" if request.htmx else "articles/source_search.html"
    return render(request, template, context)


@require_POST
@permission_required("articles.change_article", raise_exception=True)
def edit_sources(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    form = SourcesForm(request.POST, article=article)
    if not form.is_valid():
        messages.error(request, "Those sources could not be used: " + form.errors.as_text())
        return redirect(article)
    services.set_sources(article=article, sources=form.cleaned_data["sources"])
    if article.is_source:
        messages.success(request, "Sources updated.")
    else:
        messages.success(request, "Sources updated; the suggestions are being made again.")
    return redirect(article)


@require_POST
@permission_required("articles.change_article", raise_exception=True)
def reannotate(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    if article.is_source:
        messages.info(
            request, "A source is not pre-annotated; it is read by the articles citing it."
        )
    elif article.is_pending:
        messages.info(request, "Pre-annotation is already under way.")
    else:
        services.reannotate(article=article)
        messages.success(request, "Pre-annotation queued; verdicts and notes are kept.")
    return redirect(article)


@require_POST
@permission_required("articles.change_article", raise_exception=True)
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(LISTED, pk=pk)
    article.archive()
    messages.success(
        request, f"“{article.title}” is archived: hidden from lists, restorable from “Archived”."
    )
    return redirect("articles:list")


@require_POST
@permission_required("articles.change_article", raise_exception=True)
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(LISTED, pk=pk)
    article.restore()
    messages.success(request, f"“{article.title}” is restored.")
    return redirect(article)


@require_http_methods(["GET", "POST"])
@permission_required("articles.delete_article", raise_exception=True)
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(LISTED, pk=pk)
    if request.method == "POST":
        try:
            services.delete_article(article=article)
        except services.StillCited:
            pass  # the page below says by whom
        else:
            messages.success(request, f"“{article.title}” is deleted for good.")
            return redirect(reverse("articles:list"))
    citers = list(article.cited_by.order_by("title").only("pk", "title")[:20])
    context = {"article": article, "citers": citers, "goes": services.what_goes_with(article)}
    refused = bool(citers) and request.method == "POST"
    return render(request, "articles/delete.html", context, status=409 if refused else 200)


@require_GET
@permission_required("articles.view_article", raise_exception=True)
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.defer("prepared_source"), pk=pk)
    return render(request, "articles/versions.html", versions_context(article, request.GET))


@require_POST
@permission_required("articles.change_article", raise_exception=True)
def add_version(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.defer("prepared_source"), pk=pk)
    form = VersionForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            version = services.add_version(
                article=article, body=form.cleaned_data["body"], uploaded_by=request.user
            )
        except services.VersionRefused as exc:
            form.add_error(None, str(exc))
            status = 409 if article.is_pending else 400
        else:
            messages.success(
                request,
                f"Version {version.number} saved; pre-annotation is queued. Verdicts carry over "
                "to the claims whose text is unchanged or nearly so.",
            )
            return redirect(reverse("articles:versions", args=[article.pk]))
    context = versions_context(article, request.GET, form=form)
    return render(request, "articles/versions.html", context, status=status)
