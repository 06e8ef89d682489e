"""Finding articles and sources: full-text search on PostgreSQL, a plain fallback on SQLite,
and the list's filters and order."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from articles.models import Article

# The stored tsvector of title, outlet and text (GIN-indexed; PostgreSQL only) that migration
# 0006 adds and a trigger keeps; the model does not declare it, so it is named here.
DOCUMENT = RawSQL('"articles_article"."search_document"', [], output_field=SearchVectorField())
SEARCH_CONFIG = "english"


def search(articles: QuerySet[Article], text: str) -> QuerySet[Article]:
    """Articles whose title, outlet or text match every word of `text`.

    On PostgreSQL `websearch_to_tsquery` reads the words (quotes, `or`, `-`) and never fails
    on stray syntax; elsewhere each word must appear somewhere, case-insensitively.
    """
    text = text.replace("\x00", "").strip()  # PostgreSQL refuses NUL in any string
    if not text:
        return articles
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return articles.alias(document=DOCUMENT).filter(document=query)
    for word in text.split():
        articles = articles.filter(
            Q(title__icontains=word) | Q(outlet__icontains=word) | Q(body__icontains=word)
        )
    return articles


# Sort keys a URL may ask for: each ends on the id, so pages never overlap.
ORDERS = {
    "newest": ("-uploaded_at", "-id"),
    "oldest": ("uploaded_at", "id"),
    "title": ("title", "id"),
    "published": (F("published_on").desc(nulls_last=True), "-id"),
}
ORDER_CHOICES = [
    ("newest", "Newest upload first"),
    ("oldest", "Oldest upload first"),
    ("title", "Title A–Z"),
    ("published", "Latest publication first"),
]

PROGRESS_CHOICES = [
    ("", "Any progress"),
    ("untouched", "Not started"),
    ("started", "Under way"),
    ("done", "Every claim decided"),
]


def with_progress(articles: QuerySet[Article], progress: str) -> QuerySet[Article]:
    """Filter on the stored counters: no claim is read."""
    if progress == "untouched":
        return articles.filter(claim_count__gt=0, decided_count=0)
    if progress == "started":
        return articles.filter(decided_count__gt=0, decided_count__lt=F("claim_count"))
    if progress == "done":
        return articles.filter(claim_count__gt=0, decided_count=F("claim_count"))
    return articles


def nearest_page(paginator: Paginator, requested: str | None) -> Page:
    """The page asked for, or the nearest one there is: never an error for a bad number."""
    try:
        number = int(requested or 1)
    except (TypeError, ValueError):
        number = 1
    return paginator.page(min(max(number, 1), paginator.num_pages))


def rows_of(page: Page, articles: QuerySet[Article]) -> list[Article]:
    """The articles of a page of ids, in its order. Paging through ids alone is an index-only
    scan however deep the page (2,000 pages in, whole rows would be read and dropped)."""
    by_pk = articles.in_bulk(list(page.object_list))
    return [by_pk[pk] for pk in page.object_list if pk in by_pk]


def picker_context(
    *,
    data,
    field: str = "sources",
    for_article: Article | None = None,
    chosen: list[Article] | None = None,
    limit: int = 20,
) -> dict:
    """The source picker: the articles ticked (ids in `data[field]`, else `chosen`, else the
    sources `for_article` has) and, for the words in `data["source_q"]`, the first matches
    among the live ones not yet ticked."""
    fields = ("pk", "title", "outlet", "kind", "published_on", "archived_at")
    if field in data or chosen is None:
        chosen_ids = {int(pk) for pk in data.getlist(field) if pk.isdigit() and int(pk) < 2**63}
        if for_article is not None and field not in data:
            chosen_ids = set(for_article.sources.values_list("pk", flat=True))
        chosen = list(Article.objects.filter(pk__in=chosen_ids).order_by("title").only(*fields))
    chosen_ids = {article.pk for article in chosen}
    text = data.get("source_q", "").replace("\x00", "")[:200]
    results = []
    if text.strip():
        candidates = search(Article.objects.live(), text).exclude(pk__in=chosen_ids)
        if for_article is not None:
            candidates = candidates.exclude(pk=for_article.pk)
        results = list(candidates.order_by("-uploaded_at", "-id").only(*fields)[:limit])
    return {
        "picker": {
            "field": field,
            "q": text,
            "chosen": chosen,
            "results": results,
            "searched": bool(text.strip()),
            "for_article": for_article,
            "limit": limit,
        }
    }
