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
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences", "split_claims", "is_boilerplate"]


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


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
_TERMINAL_END = re.compile(r"[.!?…:;][\"'”’»)\]}]*\s*$")
_CANDIDATE = re.compile(r"([.!?…]+)([\"'”’»)\]}]*)(\s+)")
_NEXT_OK = re.compile(r"[A-Z0-9\"'“‘«(\[À-ÖØ-Þ]")
_MAX_QUOTE = 400

BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"read (the )?(original|full|complete|entire)( \w+)?( article| story| report| piece)?\b.*",
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
]
_MAX_BOILERPLATE_WORDS = 16


def is_boilerplate(text: str) -> bool:
    """True for navigation / promotion lines that are not claims."""
    stripped = text.strip().strip("*#>•-–—|[](){}").strip()
    stripped = re.sub(r"[.!:…»>→]+$", "", stripped).strip()
    if not re.search(r"[A-Za-zÀ-ÿ]", stripped):
        return True
    if len(stripped.split()) > _MAX_BOILERPLATE_WORDS:
        return False
    return any(p.fullmatch(stripped) for p in BOILERPLATE)


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
            prev = text[prev_s:prev_e]
            first = text[s]
            if not _TERMINAL_END.search(prev) and (first.islower() or prev.endswith(",")):
                spans[-1] = (prev_s, e)
                continue
        spans.append((s, e))
    return [sp for sp in spans if sp[0] >= 0]


def _quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Closed quotations of reasonable length inside text[start:end]."""
    spans = []
    i = start
    while i < end:
        ch = text[i]
        close = None
        if ch == "“":
            close = "”"
        elif ch == '"':
            close = '"'
        elif ch == "«":
            close = "»"
        if close:
            j = text.find(close, i + 1, min(end, i + _MAX_QUOTE))
            if j != -1:
                spans.append((i, j))
                i = j + 1
                continue
        i += 1
    return spans


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
    return bool(re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word))


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    quotes = _quote_spans(text, start, end)
    out = []
    s = start
    for m in _CANDIDATE.finditer(text, start, end):
        punct_end = m.end(2)
        nxt = m.end(3)
        if nxt >= end:
            break
        if not _NEXT_OK.match(text, nxt):
            continue
        p = m.start(1)
        if any(q0 < p and q1 >= punct_end for q0, q1 in quotes):
            continue  # inside a quotation: the quote stays one sentence
        if m.group(1) == "." and _is_abbreviation(text, p, start):
            continue
        if m.group(1) == "." and re.match(r"\d", text[nxt]) and re.search(r"\bNo$", text[s:p]):
            continue
        out.append((s, punct_end))
        s = nxt
    if s < end:
        out.append((s, end))
    return out


def split_sentences(text: str) -> list[Sentence]:
    """All sentences of ``text`` (boilerplate included), with exact offsets."""
    sentences = []
    for ls, le in _lines(text):
        for s, e in _split_line(text, ls, le):
            chunk = text[s:e]
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk.rstrip())
            s2, e2 = s + lead, s + trail
            if e2 > s2:
                sentences.append(Sentence(s2, e2, text[s2:e2]))
    return sentences


def split_claims(text: str) -> list[Sentence]:
    """Claim sentences of an article: all sentences but boilerplate."""
    return [s for s in split_sentences(text) if not is_boilerplate(s.text)]
