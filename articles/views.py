from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from articles import services
from articles.forms import ArticleUploadForm, SourcesForm, VersionForm
from articles.models import Article
from articles.versions import versions_context


@require_GET
@permission_required("articles.view_article", raise_exception=True)
@vary_on_headers("HX-Request")
def article_list(request: HttpRequest) -> HttpResponse:
    articles = list(Article.objects.with_progress().select_related("uploaded_by"))
    context = {"articles": articles, "any_pending": any(a.is_pending for a in articles)}
    template = "articles/_article_table.html" if request.htmx else "articles/article_list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@permission_required("articles.add_article", raise_exception=True)
def upload(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "articles/upload.html", {"form": ArticleUploadForm()})
    form = ArticleUploadForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        article = services.create_article(
            uploaded_by=request.user,
            title=data["title"],
            outlet=data["outlet"],
            url=data["url"],
            published_on=data["published_on"],
            body=data["body"],
            sources=data["sources"],
        )
        messages.success(request, f"“{article.title}” is saved; pre-annotation is queued.")
        return redirect(article)
    return render(request, "articles/upload.html", {"form": form}, status=400)


@require_POST
@permission_required("articles.change_article", raise_exception=True)
def edit_sources(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    form = SourcesForm(request.POST, article=article)
    if not form.is_valid():
        messages.error(request, "Those sources could not be used: " + form.errors.as_text())
        return redirect(article)
    services.set_sources(article=article, sources=form.cleaned_data["sources"])
    messages.success(request, "Sources updated; the suggestions are being made again.")
    return redirect(article)


@require_POST
@permission_required("articles.change_article", raise_exception=True)
def reannotate(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    if article.is_pending:
        messages.info(request, "Pre-annotation is already under way.")
    else:
        services.reannotate(article=article)
        messages.success(request, "Pre-annotation queued; verdicts and notes are kept.")
    return redirect(article)


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
