"""What the review page shows: the article cut into text and claim spans, the triage list,
the selected claim with its evidence in context, progress and agreement figures."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from articles.models import Article
from articles.search import picker_context
from claims.forms import ReviewFilterForm
from claims.memory import recall
from claims.models import Claim, Label
from claims.verdicts import split_points

WORD = re.compile(r"\w+")
OVERALL_SECONDS = 60
# Characters of source text shown around an evidence sentence.
CONTEXT = 160
SAME = '<span class="same">{}</span>'
OOB = ' hx-swap-oob="true"'
DIFFERS = '<mark class="differs">{}</mark>'
CHANGED = '<span class="badge outline text-changed">text changed since decided</span> '


@dataclass(frozen=True)
class Agreement:
    label: str
    name: str
    agreed: int
    decided: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.agreed / self.decided) if self.decided else None


@dataclass(frozen=True)
class Progress:
    total: int
    decided: int
    by_label: dict[str, int] = field(default_factory=dict)
    agreement: list[Agreement] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.decided / self.total) if self.total else 0

    @property
    def verdict_counts(self) -> list[tuple[str, str, int]]:
        return [(label, name, self.by_label[label]) for label, name in Label.choices]

    @property
    def agreed(self) -> int:
        return sum(a.agreed for a in self.agreement)

    @property
    def agree_percent(self) -> int | None:
        return round(100 * self.agreed / self.decided) if self.decided else None


def progress_of(claims: QuerySet[Claim]) -> Progress:
    """Decided counts and agreement with the suggestions, from one small grouped query."""
    groups = claims.order_by().values_list("verdict", "suggested_label").annotate(Count("pk"))
    return _progress(groups)


def overall_progress() -> Progress:
    """Agreement over every article's claims. It reads the whole claims table (seconds at
    millions of claims), so it is shared through the cache and at most a minute old."""
    return cache.get_or_set(
        "claims:overall-progress", lambda: progress_of(Claim.objects.all()), OVERALL_SECONDS
    )


def progress_in(claims: Iterable[Claim]) -> Progress:
    """The same figures as progress_of, for claims already loaded."""
    return _progress((claim.verdict, claim.suggested_label, 1) for claim in claims)


def _progress(groups: Iterable[tuple[str, str, int]]) -> Progress:
    """Progress from (verdict, suggested label, number of claims) triples."""
    total = decided = 0
    by_label = dict.fromkeys(Label.values, 0)
    suggested = dict.fromkeys(Label.values, 0)
    agreed = dict.fromkeys(Label.values, 0)
    for verdict, suggestion, n in groups:
        total += n
        if verdict:
            decided += n
            by_label[verdict] += n
            suggested[suggestion] += n
            agreed[suggestion] += n if verdict == suggestion else 0
    return Progress(
        total=total,
        decided=decided,
        by_label=by_label,
        agreement=[
            Agreement(label, name, agreed[label], suggested[label]) for label, name in Label.choices
        ],
    )


# The text's spans and the list's rows are written here rather than with {% include %}:
# a 500-claim article has 1,000 of them, ~150 ms as includes and a few ms as f-strings.
LABEL_NAMES = dict(Label.choices)


def _shown(claim: Claim) -> tuple[str, str]:
    """The label a claim shows (its verdict, else the suggestion) and what it is called."""
    if claim.verdict:
        return claim.verdict, f"Verdict: {LABEL_NAMES[claim.verdict]}"
    return claim.suggested_label, f"Suggested: {LABEL_NAMES[claim.suggested_label]}"


def claim_span(claim: Claim, select_url: str, *, oob: bool = False) -> str:
    label, called = _shown(claim)
    state = "decided" if claim.verdict else "suggested"
    url = escape(select_url) + str(claim.pk)
    return (
        f'<a id="span-{claim.pk}" href="{url}#detail" hx-get="{url}" '
        f'class="claim-span label-{label} {state}" data-claim-id="{claim.pk}" '
        f'title="#{claim.position} {called}"{OOB if oob else ""}>{escape(claim.text)}</a>'
    )


def claim_row(claim: Claim, select_url: str, *, oob: bool = False) -> str:
    label, called = _shown(claim)
    badge = "" if claim.verdict else " outline"
    url = escape(select_url) + str(claim.pk)
    text = claim.text if len(claim.text) <= 100 else claim.text[:99] + "…"
    return (
        f'<li id="claim-{claim.pk}" class="row label-{label}{" decided" * bool(claim.verdict)}" '
        f'data-claim-id="{claim.pk}" data-decided="{"1" * bool(claim.verdict)}"'
        f'{OOB if oob else ""}><a href="{url}#detail" hx-get="{url}">'
        f'<span class="position">#{claim.position}</span> '
        f'<span class="badge{badge} label-{label}">{called}</span> '
        f"{CHANGED if claim.decided_text else ''}"
        f'<span class="confidence">{round(claim.confidence * 100)}%</span> '
        f'<span class="snippet">{escape(text)}</span></a></li>'
    )


def article_html(body: str, claims: list[Claim], select_url: str) -> SafeString:
    """The body with each claim's span a link that selects it."""
    pieces: list[str] = []
    cursor = 0
    for claim in sorted(claims, key=lambda c: c.start):
        if claim.start < cursor:  # overlapping spans (a kept old claim): show it once
            continue
        if body[claim.start : claim.end] != claim.text:  # of the previous text, until re-run
            continue
        pieces.append(escape(body[cursor : claim.start]))
        pieces.append(claim_span(claim, select_url))
        cursor = claim.end
    pieces.append(escape(body[cursor:]))
    return SafeString("".join(pieces))


def rows_html(claims: list[Claim], select_url: str) -> SafeString:
    return SafeString("".join(claim_row(claim, select_url) for claim in claims))


def marked_words(text: str, other: str) -> SafeString:
    """`text` with each word marked as found in `other` or not (numbers, names, negations…)."""
    found = {word.lower() for word in WORD.findall(other)}
    pieces, cursor = [], 0
    for word in WORD.finditer(text):
        pieces.append(format_html("{}", text[cursor : word.start()]))
        tag = SAME if word.group().lower() in found else DIFFERS
        pieces.append(format_html(tag, word.group()))
        cursor = word.end()
    pieces.append(format_html("{}", text[cursor:]))
    return SafeString("".join(pieces))


def _around(body: str, start: int, end: int) -> tuple[str, str]:
    """Source text before and after a sentence, cut at word boundaries."""
    before = body[max(0, start - CONTEXT) : start]
    after = body[end : end + CONTEXT]
    if start > CONTEXT:
        before = "…" + before.split(" ", 1)[-1]
    if end + CONTEXT < len(body):
        after = after.rsplit(" ", 1)[0] + "…"
    return before, after


def evidence_in_sources(claim: Claim, sources: list[Article]) -> list[dict]:
    by_pk = {source.pk: source for source in sources}
    shown = []
    for item in claim.evidence:
        source = by_pk.get(item["article_id"])
        before, after = _around(source.body, item["start"], item["end"]) if source else ("", "")
        shown.append(
            {
                **item,
                "source_title": source.title if source else "a removed source",
                "before": before,
                "marked": marked_words(item["text"], claim.text),
                "after": after,
            }
        )
    return shown


# A claim stored before the engine cut long sentences can have tens of thousands of words:
# past this many, the cuts offered are spread evenly, and each half can be split again.
MAX_SPLIT_CHOICES = 300


def split_choices(claim: Claim) -> list[tuple[int, str]]:
    """Where the claim can be cut, each shown as the words either side of the cut."""
    # The words once, each cut shown from its neighbours: linear in the claim's length.
    words = claim.text.split()
    cuts = list(enumerate(split_points(claim), start=1))
    step = -(-len(cuts) // MAX_SPLIT_CHOICES) or 1
    return [
        (at, f"…{' '.join(words[max(i - 3, 0) : i])} | {' '.join(words[i : i + 3])}…")
        for i, at in cuts[::step]
    ]


def select_url(article_pk: int, filters: dict[str, str]) -> str:
    """The review URL with the filters, waiting for a claim id at the end."""
    query = urlencode({**filters, "claim": ""})
    return f"{reverse('claims:review', args=[article_pk])}?{query}"


def filters_from(post: QueryDict) -> dict[str, str]:
    """The filters a review form carried along (as a query string), so a post keeps them."""
    if not post.get("filters"):
        return {}
    return ReviewFilterForm(QueryDict(post["filters"])).filters()


def filters_of(data: QueryDict, claims: Iterable[Claim] = ()) -> ReviewFilterForm:
    return ReviewFilterForm(data, reasons=sorted({claim.reason_code for claim in claims}))


def listed(claims: list[Claim], filters: dict[str, str]) -> list[Claim]:
    state = filters.get("state")
    shown = [
        claim
        for claim in claims
        if (state != "undecided" or not claim.verdict)
        and (state != "decided" or claim.verdict)
        and filters.get("verdict", claim.verdict) == claim.verdict
        and filters.get("suggested", claim.suggested_label) == claim.suggested_label
        and filters.get("reason", claim.reason_code) == claim.reason_code
    ]
    if filters.get("sort") == "confidence":
        shown.sort(key=lambda claim: (claim.confidence, claim.position))
    return shown


def detail_context(
    claim: Claim | None, *, filters: dict[str, str], has_next: bool, sources: list[Article]
) -> dict:
    """The selected claim's panel: suggestion, evidence in its source, form, history."""
    if claim is not None:
        claim.evidence_shown = evidence_in_sources(claim, sources)
        best = claim.evidence[0]["text"] if claim.evidence else ""
        claim.marked_text = marked_words(claim.text, best) if best else claim.text
        claim.history = list(
            claim.changes.select_related("editor", "undone_by", "reverts__old_decided_by")
        )
        claim.split_choices = split_choices(claim)
        claim.has_next = has_next
        claim.memory = recall(claim)
    return {
        "claim": claim,
        "filters": urlencode(filters),
        "labels": Label.choices,
    }


def claim_detail(article: Article, data: QueryDict) -> dict:
    """The panel alone, for an htmx request selecting a claim."""
    form = filters_of(data)
    claim = article.claims.select_related("decided_by").filter(pk=form.selected()).first()
    has_next = bool(claim) and article.claims.filter(position__gt=claim.position).exists()
    sources = list(article.sources.defer("prepared_source"))
    return {"article": article} | detail_context(
        claim, filters=form.filters(), has_next=has_next, sources=sources
    )


def review_context(article: Article, data: QueryDict) -> dict:
    claims = list(article.claims.select_related("decided_by"))
    form = filters_of(data, claims)
    filters = form.filters()
    shown = listed(claims, filters)
    chosen = form.selected()
    selected = next((c for c in claims if c.pk == chosen), None) or next(
        (c for c in shown if not c.verdict), shown[0] if shown else None
    )
    sources = list(article.sources.order_by("title").defer("prepared_source"))
    has_next = bool(selected) and selected is not claims[-1]
    url = select_url(article.pk, filters)
    return {
        "article": article,
        "claims": shown,
        "claim_count": len(claims),
        "article_html": article_html(article.body, claims, url),
        "rows_html": rows_html(shown, url),
        "filter_form": form,
        "select_url": url,
        "sources": sources,
        **picker_context(data=QueryDict(), for_article=article, chosen=sources),
        "progress": progress_in(claims),
        "overall": overall_progress(),
        "selected": selected,
        **detail_context(selected, filters=filters, has_next=has_next, sources=sources),
    }


def marked_context(claim: Claim, *, filters: dict[str, str]) -> dict:
    """What a verdict updates in place: the claim's span and list row, and the progress."""
    url = select_url(claim.article_id, filters)
    return {
        "claim": claim,
        "span": SafeString(claim_span(claim, url, oob=True)),
        "row": SafeString(claim_row(claim, url, oob=True)),
        "progress": progress_of(Claim.objects.filter(article_id=claim.article_id)),
    }


def next_undecided(claim: Claim) -> Claim | None:
    undecided = Claim.objects.filter(article_id=claim.article_id, verdict="").exclude(pk=claim.pk)
    return (
        undecided.filter(position__gt=claim.position).first()
        or undecided.order_by("position").first()
    )
