"""What the review page shows: the article cut into text and claim spans, the triage list,
the selected claim with its evidence in context, progress and agreement figures."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.template import engines
from django.urls import reverse
from django.utils.safestring import SafeString
from markupsafe import escape

from articles.models import Article
from articles.search import picker_context
from claims.forms import ReviewFilterForm, SourceSpanForm
from claims.memory import recall
from claims.models import Claim, Label
from claims.reasons import FINDINGS, SHORT, URGENCY, finding, reason_name
from claims.verdicts import split_points

WORD = re.compile(r"\w+")
OVERALL_SECONDS = 60
# Characters of source text shown around an evidence sentence.
CONTEXT = 160


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


LABEL_NAMES = dict(Label.choices)


@dataclass
class Listed:
    """What the text and the list show of a claim: a 500-claim page reads 500 of these,
    several times lighter to build than model instances. The selected claim is read whole."""

    pk: int
    article_id: int
    position: int
    start: int
    end: int
    text: str
    suggested_label: str
    confidence: float
    reason_code: str
    verdict: str
    decided_text: str  # set when the verdict was given on an earlier wording


LISTED_FIELDS = [f.name for f in fields(Listed)]
# Words too common to be worth marking as shared by a claim and its evidence.
# fmt: off
STOP_WORDS = frozenset([
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has",
    "have", "he", "her", "his", "i", "in", "is", "it", "its", "of", "on", "or", "our", "she",
    "so", "than", "that", "the", "their", "them", "then", "there", "they", "this", "to", "was",
    "we", "were", "what", "when", "which", "who", "will", "with", "would", "you",
])
# fmt: on
# Negations, with the first halves of contractions ("didn't" is read as "didn", "t").
# fmt: off
NEGATIONS = frozenset([
    "not", "no", "never", "none", "nor", "neither", "nobody", "nothing", "cannot", "didn",
    "doesn", "don", "isn", "wasn", "aren", "weren", "won", "hasn", "haven", "hadn", "shouldn",
    "wouldn", "couldn",
])
# fmt: on


def desk_macros():
    """The Jinja2 macros that write a claim's span and list row (templates/jinja2/claims)."""
    return engines["jinja2"].env.get_template("claims/_desk.html").module


def dress(claim: Claim | Listed, url: str) -> Claim | Listed:
    """Give a claim what its span and list row show: label, finding, how it is called, and
    the address that selects it."""
    claim.finding = finding(claim.suggested_label, claim.reason_code)
    claim.shown = claim.verdict or claim.suggested_label
    state = "decided" if claim.verdict else "suggested"
    # The finding is named only where it says more than the label (contradicted, not
    # covered): 500 spans and rows carry this class.
    kind = f" finding-{claim.finding}" if claim.finding != claim.suggested_label else ""
    claim.css = f"label-{claim.shown}{kind} {state}"
    if claim.verdict:
        claim.called = f"Verdict: {LABEL_NAMES[claim.verdict]}"
    else:
        claim.called = f"Suggested: {SHORT[claim.finding]}"
    claim.href = url + str(claim.pk)
    claim.escaped = escape(claim.text)  # once, for both the span and the row
    claim.percent = round(claim.confidence * 100)
    return claim


def article_pieces(body: str, claims: list[Claim]) -> tuple[list[tuple[str, Claim]], str]:
    """The body cut into (text before a claim, the claim) pairs and the text after the last."""
    pieces: list[tuple[str, Claim]] = []
    cursor = 0
    for claim in sorted(claims, key=lambda c: c.start):
        if claim.start < cursor:  # overlapping spans (a kept old claim): show it once
            continue
        if body[claim.start : claim.end] != claim.text:  # of the previous text, until re-run
            continue
        pieces.append((body[cursor : claim.start], claim))
        cursor = claim.end
    return pieces, body[cursor:]


def _matters(word: str, at: int) -> bool:
    """Numbers, dates, names and negations: the words whose difference changes a fact."""
    return (
        any(ch.isdigit() for ch in word)
        or word.lower() in NEGATIONS
        or (at > 0 and word[0].isupper())
    )


def marked_words(text: str, other: str) -> list[tuple[str, str]]:
    """`text` as (piece, how) pairs: "same" for a content word `other` shares too, "differs"
    for a number, date, name or negation it does not; "" for everything else."""
    found = {word.lower() for word in WORD.findall(other)}
    pieces, cursor = [], 0
    for word in WORD.finditer(text):
        lower = word.group().lower()
        if lower in STOP_WORDS and lower not in NEGATIONS:
            continue
        if lower in found:
            how = "same"
        elif _matters(word.group(), word.start()):
            how = "differs"
        else:
            continue
        pieces.append((text[cursor : word.start()], ""))
        pieces.append((word.group(), how))
        cursor = word.end()
    pieces.append((text[cursor:], ""))
    return pieces


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
                "source": source,
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


def source_parts(body: str, span: SourceSpanForm) -> tuple[str, str, str]:
    """The text before, of and after the sentence a (valid) span names in a source's body."""
    if not span.is_valid():
        return body, "", ""
    start, end = span.cleaned_data["start"], span.cleaned_data["end"]
    if not start < end <= len(body):
        return body, "", ""
    return body[:start], body[start:end], body[end:]


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


def _suggested(claim: Claim, wanted: str | None) -> bool:
    """Whether a claim's suggestion is the wanted one: a label, or a kind of disputed."""
    return not wanted or wanted in (claim.suggested_label, claim.finding)


def listed(claims: list[Claim], filters: dict[str, str]) -> list[Claim]:
    """The (dressed) claims the filters let through, in the order they ask for."""
    state = filters.get("state")
    shown = [
        claim
        for claim in claims
        if (state != "undecided" or not claim.verdict)
        and (state != "decided" or claim.verdict)
        and filters.get("verdict", claim.verdict) == claim.verdict
        and _suggested(claim, filters.get("suggested"))
        and filters.get("reason", claim.reason_code) == claim.reason_code
    ]
    if filters.get("sort") == "confidence":
        shown.sort(key=lambda claim: (claim.confidence, claim.position))
    elif filters.get("sort") == "contradictions":
        shown.sort(key=lambda claim: (URGENCY.get(claim.finding, 2), claim.position))
    return shown


def detail_context(
    claim: Claim | None, *, filters: dict[str, str], has_next: bool, sources: list[Article]
) -> dict:
    """The selected claim's panel: suggestion, evidence in its source, form, history."""
    if claim is not None:
        dress(claim, select_url(claim.article_id, filters))
        claim.finding_name = FINDINGS[claim.finding]
        claim.reason_name = reason_name(claim.reason_code)
        claim.evidence_shown = evidence_in_sources(claim, sources)
        best = claim.evidence[0]["text"] if claim.evidence else ""
        claim.marked_text = marked_words(claim.text, best) if best else [(claim.text, "")]
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
    # What the text and the list show of each claim; the selected one is read whole below.
    claims = [Listed(*row) for row in article.claims.values_list(*LISTED_FIELDS)]
    form = filters_of(data, claims)
    filters = form.filters()
    url = select_url(article.pk, filters)
    for claim in claims:
        dress(claim, url)
    shown = listed(claims, filters)
    chosen = form.selected()
    selected = next((c for c in claims if c.pk == chosen), None) or next(
        (c for c in shown if not c.verdict), shown[0] if shown else None
    )
    # The list's first rows, and always down to the selected claim.
    rows = form.row_count()
    if selected in shown:
        rows = max(rows, shown.index(selected) + 1)
    more = {**filters, "rows": rows + form.ROWS} | ({"claim": selected.pk} if selected else {})
    if selected is not None:
        selected = article.claims.select_related("decided_by").get(pk=selected.pk)
    sources = list(article.sources.order_by("title").defer("prepared_source"))
    has_next = bool(selected) and selected.pk != claims[-1].pk
    macros = desk_macros()
    return {
        "article": article,
        "claims": shown,
        "listed_count": min(rows, len(shown)),
        "more_url": f"{reverse('claims:review', args=[article.pk])}?{urlencode(more)}"
        if rows < len(shown)
        else "",
        "claim_count": len(claims),
        "article_html": SafeString(macros.text(*article_pieces(article.body, claims))),
        "rows_html": SafeString(macros.rows(shown[:rows])),
        "filtered": bool(filters.keys() - {"sort"}),
        "filter_form": form,
        "select_url": url,
        "sources": sources,
        **picker_context(data=QueryDict(), for_article=article, chosen=sources),
        "progress": progress_in(claims),
        "overall": overall_progress(),
        "selected": selected,
        **detail_context(selected, filters=filters, has_next=has_next, sources=sources),
    }


def marked_context(claim: Claim, *, filters: dict[str, str], listed: bool = True) -> dict:
    """What a verdict updates in place: the claim's span, its list row if the list shows it
    (an out-of-band row with nothing to replace is an htmx error), and the progress."""
    dress(claim, select_url(claim.article_id, filters))
    macros = desk_macros()
    return {
        "claim": claim,
        "span": SafeString(macros.span(claim, oob=True)),
        "row": SafeString(macros.row(claim, oob=True)) if listed else "",
        "progress": progress_of(Claim.objects.filter(article_id=claim.article_id)),
    }


def next_undecided(claim: Claim) -> Claim | None:
    undecided = Claim.objects.filter(article_id=claim.article_id, verdict="").exclude(pk=claim.pk)
    return (
        undecided.filter(position__gt=claim.position).first()
        or undecided.order_by("position").first()
    )
