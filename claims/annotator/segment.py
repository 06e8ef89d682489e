"""Sentence segmentation with exact character offsets, and boilerplate filtering.

Rules (in order of precedence):
* blank lines separate paragraphs; a line break ends a sentence (a title line without a
  full stop is its own sentence), except when a line without terminal punctuation is
  followed by a line starting in lower case (hard-wrapped text is joined);
* inside a line, a sentence ends at ``.``, ``!``, ``?`` or ``…`` (closing quotes and
  brackets after it stay with the sentence) followed by white space and an upper-case
  letter, a digit or an opening quote;
* no break after abbreviations ("Jan.", "U.S.", "Mr.", "Dr.", single initials "J."),
  inside decimal numbers ("3.5"), or inside a short quotation ("... he apologized… he
  said, 'It was not me.' ...").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences", "split_claims", "is_boilerplate", "paragraph_numbers"]


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    note: str = ""  # why the splitter cut it where it did, when that is not a sentence end


ABBREVIATIONS = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "thu",
        "thur",
        "thurs",
        "fri",
        "mr",
        "mrs",
        "ms",
        "messrs",
        "dr",
        "prof",
        "rev",
        "fr",
        "sr",
        "jr",
        "st",
        "mt",
        "ft",
        "gen",
        "gov",
        "sen",
        "rep",
        "pres",
        "lt",
        "col",
        "capt",
        "cmdr",
        "maj",
        "sgt",
        "adm",
        "cpl",
        "pvt",
        "supt",
        "insp",
        "det",
        "hon",
        "amb",
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "llc",
        "plc",
        "dept",
        "univ",
        "assn",
        "est",
        "vs",
        "etc",
        "al",
        "approx",
        "cf",
        "ca",
        "fig",
        "figs",
        "vol",
        "vols",
        "pp",
        "para",
        "ch",
        "sec",
        "op",
        "ed",
        "eds",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "u.s",
        "u.k",
        "u.n",
        "u.s.a",
        "e.u",
        "d.c",
        "n.y",
        "l.a",
        "ave",
        "blvd",
        "rd",
        "hwy",
    ]
)

TERMINALS = ".!?…"
CLOSERS = "\"'”’»)]}"
OPEN_QUOTES = "“‘«"
# Quotations: the opening mark, its closing mark, and how far a quotation may run.
_QUOTE_CLOSE = {"“": "”", '"': '"', "«": "»"}
_MAX_QUOTE = 400
_TERMINAL_RUN = re.compile(r"[.!?…]+")
_NEXT_OK = re.compile(r"[A-Z0-9\"'“‘«(\[À-ÖØ-Þ]")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
# Every claim is cut to at most this many characters (at a clause, else a word boundary),
# so that no check ever sees an unbounded sentence.
MAX_CLAIM_CHARS = 1000
_CLAUSE_ENDS = ",;:)—–"

# One pattern, one match per sentence: an article can have many thousands of them.
BOILERPLATE = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
            r"read (the )?(original|full|complete|entire)( \w+)?"
            r"( article| story| report| piece)?\b.*",
            r"read more\b.*",
            r"(click|tap) here\b.*",
            r"subscribe\b.*",
            r"share (this|the) (article|story|post|page)\b.*",
            r"share on \w+.*",
            r"advertisement|sponsored( content)?|ad",
            r"sign up (for|to) (our|the)( \w+)? newsletters?\b.*",
            r"(follow|like) us on\b.*",
            r"(related|see also|also read|most read|recommended)( (articles?|stories))?\s*:.*",
            r"(photo|image|picture) (credit|courtesy|by)\b.*",
            r"continue reading\b.*",
            r"(this|the) (article|story) (was )?(originally )?(published|appeared) (on|in)\b.*",
            r"all rights reserved\.?",
            r"(copyright|©)\s.*",
        )
    ),
    re.IGNORECASE,
)
_MAX_BOILERPLATE_WORDS = 16


def is_boilerplate(text: str) -> bool:
    """True for navigation / promotion lines that are not claims."""
    stripped = text.strip().strip("*#>•-–—|[](){}").strip()
    stripped = stripped.rstrip(".!:…»>→").strip()
    if not re.search(r"[A-Za-zÀ-ÿ]", stripped):
        return True
    if len(stripped.split()) > _MAX_BOILERPLATE_WORDS:
        return False
    return BOILERPLATE.fullmatch(stripped) is not None


def _ends_sentence(text: str, end: int) -> bool:
    """Whether text[:end] ends in terminal punctuation, closing quotes or brackets after it."""
    while end and text[end - 1] in CLOSERS:
        end -= 1
    return end > 0 and text[end - 1] in ".!?…:;"


def _lines(text: str) -> list[tuple[int, int]]:
    """Spans of logical lines: non-blank lines, hard-wrapped continuations joined."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        start, end = pos, pos + len(raw.rstrip("\r\n"))
        pos += len(raw)
        line = text[start:end]
        if not line.strip():
            spans.append((-1, -1))  # paragraph break
            continue
        lead = len(line) - len(line.lstrip())
        trail = len(line.rstrip())
        s, e = start + lead, start + trail
        if spans and spans[-1][0] >= 0:
            prev_s, prev_e = spans[-1]
            # Only the end of the line so far decides, so joining stays linear.
            if not _ends_sentence(text, prev_e) and (text[s].islower() or text[prev_e - 1] == ","):
                spans[-1] = (prev_s, e)
                continue
        spans.append((s, e))
    return [sp for sp in spans if sp[0] >= 0]


def _quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Closed quotations of reasonable length inside text[start:end], in order."""
    spans = []
    # The next position of each closing mark: found once per occurrence, so the scan is linear.
    next_close = {close: -1 for close in _QUOTE_CLOSE.values()}
    i = start
    while i < end:
        close = _QUOTE_CLOSE.get(text[i])
        if close:
            if next_close[close] <= i:
                next_close[close] = text.find(close, i + 1, end)
                if next_close[close] == -1:
                    next_close[close] = end
            j = next_close[close]
            if j < min(end, i + _MAX_QUOTE):
                spans.append((i, j))
                i = j + 1
                continue
        i += 1
    return spans


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _is_abbreviation(text: str, dot: int, line_start: int) -> bool:
    """Whether the '.' at text[dot] closes an abbreviation / initial."""
    j = dot
    while j > line_start and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot]
    if not word:
        return False
    low = word.lower()
    if low in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isupper():  # initial: "J. Smith"
        return True
    # dotted acronyms: "U.S", "D.C", "a.m"
    return bool(_DOTTED.fullmatch(word))


def _follows_no(text: str, sentence_start: int, dot: int) -> bool:
    """ "No." before a number ("No. 5") is an abbreviation."""
    return (
        dot - 2 >= sentence_start
        and text[dot - 2 : dot] == "No"
        and (dot - 2 == sentence_start or not _is_word_char(text[dot - 3]))
    )


def _split_line(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence spans of one logical line, found in one left-to-right scan."""
    quotes = _quote_spans(text, start, end)
    q = 0
    s = start
    for m in _TERMINAL_RUN.finditer(text, start, end):
        p = m.start()
        punct_end = m.end()
        while punct_end < end and text[punct_end] in CLOSERS:
            punct_end += 1
        nxt = punct_end
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt == punct_end:
            continue  # no space after it
        if nxt >= end:
            break
        if not _NEXT_OK.match(text, nxt):
            continue
        while q < len(quotes) and quotes[q][1] < punct_end:
            q += 1
        if q < len(quotes) and quotes[q][0] < p:
            continue  # inside a quotation: the quote stays one sentence
        if m.group() == "." and (
            _is_abbreviation(text, p, start) or (text[nxt].isdigit() and _follows_no(text, s, p))
        ):
            continue
        yield s, punct_end
        s = nxt
    if s < end:
        yield s, end


def _sentences(text: str) -> Iterator[Sentence]:
    for ls, le in _lines(text):
        for s, e in _split_line(text, ls, le):
            chunk = text[s:e]
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk.rstrip())
            s2, e2 = s + lead, s + trail
            if e2 > s2:
                yield Sentence(s2, e2, text[s2:e2])


def split_sentences(text: str) -> list[Sentence]:
    """All sentences of ``text`` (boilerplate included), with exact offsets."""
    return list(_sentences(text))


def paragraph_numbers(text: str, sentences: Sequence[Sentence]) -> list[int]:
    """The paragraph each sentence of ``text`` starts in, numbered from 0: a paragraph is a
    line, or hard-wrapped lines joined (the splitter's logical lines)."""
    starts = [start for start, _ in _lines(text)]
    return [bisect_right(starts, sentence.start) - 1 for sentence in sentences]


def _cut(text: str, sentence: Sentence, max_chars: int) -> list[Sentence]:
    """An overlong sentence in pieces of at most max_chars, each cut after the last clause
    mark (or else the last space) of its window, each saying why it was cut."""
    note = f"Split: the sentence is longer than {max_chars} characters."
    pieces = []
    s, end = sentence.start, sentence.end
    while s < end:
        e = end
        if end - s > max_chars:
            window = text[s : s + max_chars]
            half = max_chars // 2
            cut = max(window.rfind(mark, half) for mark in _CLAUSE_ENDS) + 1
            if not cut:
                cut = max(window.rfind(" ", half), window.rfind("\n", half))
            e = s + (cut if cut > 0 else max_chars)
        piece = text[s:e]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            pieces.append(Sentence(s + lead, s + trail, piece[lead:trail], note))
        s = e
    return pieces


def split_claims(
    text: str, max_chars: int = MAX_CLAIM_CHARS, stop_after: int | None = None
) -> list[Sentence]:
    """Claim sentences of an article: all sentences but boilerplate, none over max_chars.

    With ``stop_after``, the splitting stops once there are more claims than that, so an
    article past a limit is refused without splitting all of it.
    """
    claims: list[Sentence] = []
    for sentence in _sentences(text):
        if stop_after is not None and len(claims) > stop_after:
            break
        if is_boilerplate(sentence.text):
            continue
        if len(sentence.text) > max_chars:
            claims.extend(_cut(text, sentence, max_chars))
        else:
            claims.append(sentence)
    return claims
