"""The JSON API: read articles and claims, record verdicts.

Scripts authenticate with `Authorization: Bearer <token>` (see ApiToken); the browser with its
session, and then its writes must pass Django's CSRF check. Each user may do here what their
role allows on the review page: viewers read, editors also decide. Errors are JSON:
{"error": "..."}. A write may name the claim version it was based on (`version` in the body, or
`If-Match: "<version>"`); if the claim has changed since, nothing is written and the answer is a
409 with the claim as it now stands.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.vary import vary_on_headers

from articles.forms import ArticleFilterForm
from articles.models import Article
from articles.search import rows_of
from articles.validators import unstorable
from claims.forms import VerdictForm
from claims.models import ApiToken, Claim, StaleClaim

PAGE_SIZE = 50


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def error_response(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def api_view(*methods: str, permission: str) -> Callable:
    """A JSON API view: allowed methods, token or session login, CSRF on session writes,
    and the user's role allowing `permission`."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in methods:
                response = error_response(405, f"Use {' or '.join(methods)} here.")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                authenticate(request)
                if not request.user.has_perm(permission):
                    raise ApiError(403, "Your role does not allow this.")
                return view(request, *args, **kwargs)
            except ApiError as error:
                response = error_response(error.status, str(error))
            except Http404 as error:  # from get_object_or_404: "No Claim matches the given query."
                response = error_response(404, str(error))
            if response.status_code == 401:
                response["WWW-Authenticate"] = "Bearer"
            return response

        # Both checks happen in authenticate(), answering JSON instead of a login redirect;
        # who asks, and so the answer, depends on the token or else the session.
        return login_not_required(csrf_exempt(vary_on_headers("Authorization", "Cookie")(wrapped)))

    return decorate


def authenticate(request: HttpRequest) -> None:
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, key = header.partition(" ")
        user = ApiToken.user_for(key.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise ApiError(401, "The token is not valid; send Authorization: Bearer <token>.")
        request.user = user
    elif not request.user.is_authenticated:
        raise ApiError(401, "Log in, or send Authorization: Bearer <token>.")
    elif request.method not in {"GET", "HEAD", "OPTIONS"} and _csrf_fails(request):
        raise ApiError(403, "CSRF check failed: send the X-CSRFToken header with the session.")


def _csrf_fails(request: HttpRequest) -> bool:
    # The middleware's own check, run here because the view is exempt for token requests.
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}) is not None


def json_body(request: HttpRequest) -> dict:
    if request.content_type != "application/json":
        raise ApiError(415, "Send JSON, with Content-Type: application/json.")
    try:
        data = json.loads(request.body)
    except ValueError as error:
        raise ApiError(400, f"The body is not valid JSON: {error}.") from None
    except RecursionError:
        raise ApiError(400, "The JSON is nested too deeply.") from None
    if not isinstance(data, dict):
        raise ApiError(400, "Send a JSON object.")
    # Every string, keys included: escapes can carry NUL and lone surrogates, which no field
    # would store.
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            pending += item
        elif isinstance(item, str) and (reason := unstorable(item)):
            raise ApiError(400, f"The JSON has text that cannot be stored. {reason}")
    return data


def article_json(article: Article, request: HttpRequest) -> dict:
    return {
        "id": article.pk,
        "kind": article.kind,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "published_on": article.published_on,
        "uploaded_at": article.uploaded_at,
        "status": article.status,
        "status_message": article.status_message,
        "archived_at": article.archived_at,
        "progress": {
            "claims": article.claim_count,
            "decided": article.decided_count,
            **{label: getattr(article, field) for label, field in Article.LABEL_COUNTS.items()},
        },
        "review_url": request.build_absolute_uri(article.get_absolute_url()),
        "claims_url": request.build_absolute_uri(reverse("api:claims", args=[article.pk])),
    }


def claim_json(claim: Claim) -> dict:
    """A claim, with its decided_by loaded."""
    verdict = None
    if claim.verdict:
        verdict = {
            "label": claim.verdict,
            "note": claim.note,
            "editor": claim.decided_by.get_username() if claim.decided_by else None,
            "decided_at": claim.decided_at,
        }
    return {
        "id": claim.pk,
        "article": claim.article_id,
        "position": claim.position,
        "start": claim.start,
        "end": claim.end,
        "text": claim.text,
        "suggestion": {
            "label": claim.suggested_label,
            "confidence": claim.confidence,
            "reason_code": claim.reason_code,
            "reason": claim.reason,
            "evidence": claim.evidence,
        },
        "verdict": verdict,
        "version": claim.version,
    }


def claim_response(claim: Claim, *, status: int = 200, error: str | None = None) -> JsonResponse:
    data = claim_json(claim) if error is None else {**claim_json(claim), "error": error}
    response = JsonResponse(data, status=status)
    response["ETag"] = f'"{claim.version}"'
    return response


_ENTITY_TAG = re.compile(r'"(\d{1,9})"|(\d{1,9})')


def seen_version(request: HttpRequest, form: VerdictForm) -> int | None:
    """The claim version a write is based on: the body's `version` or the If-Match header
    (the ETag of an earlier answer); None when the write names neither, or If-Match: *."""
    version = form.cleaned_data["version"]
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return version
    match = _ENTITY_TAG.fullmatch(header)
    if match is None:
        raise ApiError(400, 'If-Match must be one claim version in quotes, e.g. If-Match: "3".')
    tagged = int(match.group(1) or match.group(2))
    if version is not None and version != tagged:
        raise ApiError(400, f"version ({version}) and If-Match ({tagged}) disagree.")
    return tagged


@api_view("GET", permission="articles.view_article")
def articles(request: HttpRequest) -> HttpResponse:
    """Articles found as the library page finds them (q, kind, status, progress, uploader,
    uploaded_from, uploaded_to, archived, sort), a page at a time."""
    form = ArticleFilterForm(request.GET)
    if not form.is_valid():
        raise ApiError(400, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    paginator = Paginator(form.articles().values_list("pk", flat=True), PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        raise ApiError(400, "page must be a whole number.") from None
    except EmptyPage:
        raise ApiError(404, f"There are {paginator.num_pages} pages.") from None

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{reverse('api:articles')}?{query.urlencode()}")

    return JsonResponse(
        {
            "count": paginator.count,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [
                article_json(article, request)
                for article in rows_of(page, Article.objects.defer("body", "prepared_source"))
            ],
        }
    )


@api_view("GET", permission="articles.view_article")
def article(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.defer("prepared_source"), pk=pk)
    sources = list(article.sources.values_list("pk", flat=True))
    return JsonResponse(
        {**article_json(article, request), "sources": sources, "body": article.body}
    )


@api_view("GET", permission="claims.view_claim")
def claims(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    claims = article.claims.select_related("decided_by")
    return JsonResponse({"article": article.pk, "claims": [claim_json(c) for c in claims]})


@api_view("POST", permission="claims.change_claim")
def verdict(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("decided_by"), pk=pk)
    data = json_body(request)
    if not all(isinstance(data.get(key, ""), str) for key in ("label", "note")):
        raise ApiError(400, "label and note must be strings.")
    version = data.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise ApiError(400, "version must be a whole number.")
    form = VerdictForm(data)
    if not form.is_valid():
        raise ApiError(400, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    try:
        claim.set_verdict(
            label=form.cleaned_data["label"],
            note=form.cleaned_data["note"],
            editor=request.user,
            seen_version=seen_version(request, form),
        )
    except StaleClaim:
        claim = get_object_or_404(Claim.objects.select_related("decided_by"), pk=claim.pk)
        message = f"The claim changed since that version; it is now version {claim.version}."
        return claim_response(claim, status=409, error=message)
    return claim_response(claim)
