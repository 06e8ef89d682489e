"""Lexical checks between a claim and source sentences: numbers, dates, entities,
negation, tense/modality, and subjectivity cues. Pure functions on strings."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# ---------------------------------------------------------------- word lists

# Word lists are data, edited by people who need not read Python; shipped as package data.
LEXICON_DIR = Path(__file__).with_name("lexicon")


def _lexicon_lines(name: str) -> list[str]:
    """The entries of lexicon/<name>: one a line, '#' to the end of a line is a comment."""
    path = LEXICON_DIR / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        # Loud and at import: a missing list would silently weaken every check using it.
        raise FileNotFoundError(
            f"word list {path} is missing (is claims/annotator/lexicon/*.txt installed "
            "as package data?)"
        ) from None
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ValueError(f"word list {path} has no entries")
    return lines


def word_list(name: str) -> frozenset[str]:
    """A list of words or phrases, as written (case kept)."""
    return frozenset(_lexicon_lines(name))


def _value(text: str) -> int | float | str:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text  # a vague amount ("dozens"), equal only to itself


def word_map(name: str) -> dict[str, int | float | str]:
    """Two columns, a word or phrase then its value, in the file's order (patterns built from
    a map keep it). The value is the last field, so a phrase may have spaces."""
    out: dict[str, int | float | str] = {}
    for line in _lexicon_lines(name):
        parts = line.rsplit(None, 1)
        if len(parts) != 2:
            raise ValueError(f"word list {LEXICON_DIR / name}: {line!r} has no value")
        if parts[0] in out:  # a second value would silently win
            raise ValueError(f"word list {LEXICON_DIR / name}: {parts[0]!r} is given twice")
        out[parts[0]] = _value(parts[1])
    return out


# ---------------------------------------------------------------- tokens and stems

_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:['’][A-Za-z]+)?|\d+(?:[.,]\d+)*")
STOPWORDS = word_list("stopwords.txt")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    for suf in (
        "ations",
        "ation",
        "ments",
        "ment",
        "ingly",
        "ings",
        "ing",
        "edly",
        "ied",
        "ies",
        "ed",
        "es",
        "ly",
        "s",
    ):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            if suf in ("ied", "ies"):
                w += "y"
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "ls":
        w = w[:-1]  # stopped -> stopp -> stop
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if w.lower() not in STOPWORDS and len(w) > 1}


# ---------------------------------------------------------------- numbers

NUMBER_WORDS = word_map("number_words.txt")
ORDINALS = word_map("ordinals.txt")
MULTIPLIERS = word_map("multipliers.txt")
_NUMWORD_RE = "|".join(sorted((re.escape(k) for k in NUMBER_WORDS), key=len, reverse=True))
_NUM = re.compile(
    r"(?<![\w.])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<mult>thousand|million|billion|trillion|bn|mn|k|m)\b)?"
    r"(?P<pct>\s*(?:%|per ?cent|percent))?"
    # a unit joins only a tens word ("seventy-five"): "two one-hour meetings" is not three
    r"|(?<![\w-])(?P<word>" + _NUMWORD_RE + r")(?:(?<=ty)[\s-](?P<word2>one|two|three|four|"
    r"five|six|seven|eight|nine))?\b(?:\s+(?P<mult2>thousand|million|billion|trillion)\b)?"
    r"|(?<![\w-])(?P<ord>\d+(?:st|nd|rd|th)|" + "|".join(ORDINALS) + r")\b",
    re.IGNORECASE,
)
MONTHS = word_map("months.txt")
_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DATE = re.compile(
    r"\b(?P<m1>" + _MONTH_RE + r")\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{4}))?"
    r"|\b(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>"
    + _MONTH_RE
    + r")\b(?:,?\s+(?P<y2>\d{4}))?"
    r"|\b(?P<m3>January|February|March|April|June|July|August|September|October|November|"
    r"December)\b(?:\s+(?P<y3>\d{4}))?"
    r"|\b(?P<y4>(?:1[89]|20)\d{2})s?\b"
    r"|\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_DURATION = re.compile(
    r"\b(?:(?:a|one|two|three|four|five|six|\d+(?:\.\d+)?|several|a few|many)\s+"
    r"(?:and a half\s+)?)?(?:years?|months?|weeks?|days?|decades?|hours?)"
    r"(?:\s+and a half)?\s+(?:after|before|later|earlier|ago)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    value: float | str
    text: str  # the number as written with the noun after it, for reasons
    noun: str  # stem of the next content word ("" when none)
    ordinal: bool = False
    qualifier: str = ""  # "more", "less", "about", "between" or "" (exact)
    high: float | None = None  # the upper end of a range ("between 70 and 80"), else None


_QUALIFIERS = [
    (
        "more",
        re.compile(
            r"(?:more than|over|above|at least|upwards of|in excess of|exceed\w*|"
            r"as many as|as much as|some)\s*$",
            re.I,
        ),
    ),
    (
        "less",
        re.compile(r"(?:less than|fewer than|under|below|at most|up to|no more than)\s*$", re.I),
    ),
    (
        "about",
        re.compile(
            r"(?:about|around|approximately|roughly|nearly|almost|close to|"
            r"some|an estimated|estimated|~)\s*$",
            re.I,
        ),
    ),
]


_ANY_QUALIFIER = re.compile("|".join(f"(?:{rx.pattern})" for _, rx in _QUALIFIERS), re.I)


# Phrases the "more" pattern takes that set no floor: "some 70" is about 70, and "as many
# as 80" is a ceiling (80 at most).
_NOT_A_FLOOR = re.compile(r"(?:(?P<ceiling>as many as|as much as)|some)\b", re.I)


def _bound(q: Quantity) -> str:
    """How a quantity's wording bounds its value: "floor", "ceiling", "about" or ""."""
    if q.qualifier == "more":
        m = _NOT_A_FLOOR.match(q.text)
        if m:
            return "ceiling" if m.group("ceiling") else "about"
        return "floor"
    return {"less": "ceiling", "about": "about"}.get(q.qualifier, "")


def _interval(q: Quantity) -> tuple[float, float]:
    """The values a quantity allows, as a closed interval."""
    v = q.value
    if q.high is not None:
        return v, q.high
    bound = _bound(q)
    if bound == "floor":
        return v, math.inf
    if bound == "ceiling":
        return -math.inf, v
    if bound == "about":
        return v - 0.15 * abs(v), v + 0.15 * abs(v)
    return v, v


def is_percent(value: float | str) -> bool:
    return isinstance(value, str) and value.endswith("%")


def _decimals(text: str) -> int:
    """Decimal places of the number written in ``text`` ("97.1 percent": 1)."""
    m = re.search(r"\d\.(\d+)", text)
    return len(m.group(1)) if m else 0


def consistent(claim_q: Quantity, source_q: Quantity) -> bool:
    """Whether the claim's quantity is compatible with the source's."""
    a, b = claim_q.value, source_q.value
    if claim_q.high is not None or source_q.high is not None:
        # a range holds the values inside it: "75" or "about 75" within "between 70 and 80"
        if not (isinstance(a, float) and isinstance(b, float)):
            return False
        (a_lo, a_hi), (b_lo, b_hi) = _interval(claim_q), _interval(source_q)
        return max(a_lo, b_lo) <= min(a_hi, b_hi)
    if a == b:
        return True
    if _is_time(a) and _is_time(b):
        return bool(_time_readings(a) & _time_readings(b))
    if is_percent(a) and is_percent(b):  # "about 30 percent" for "26%": numbers
        a, b = float(a[:-1]), float(b[:-1])
    if not (isinstance(a, float) and isinstance(b, float)):
        return False
    if round(b, _decimals(claim_q.text)) == a:  # "97 percent" for "97.1%"
        return True
    q = claim_q.qualifier
    if q == "more":
        return b >= a
    if q == "less":
        return b <= a
    if q == "about" or source_q.qualifier == "about":
        return abs(a - b) <= 0.15 * max(abs(a), abs(b))
    # An exact claim just inside a source's bound: "75" where the source says "more than 70".
    # Far inside ("twice" for "below 40") the source allows the claim without backing it.
    bound, near = _bound(source_q), abs(a - b) <= 0.15 * max(abs(a), abs(b))
    if bound == "floor":
        return near and a >= b
    if bound == "ceiling":
        return near and a <= b
    return bound == "about" and near


# ---------------------------------------------------------------- times of day

# A clock time: "12.51pm", "12:51 p.m.", "12:51 PM", "3pm", "15:05". A dot with no a.m. or
# p.m. after it is a decimal ("12.51"), a colon is a time; minutes are two digits ("3:1" is a
# ratio). Seconds are read and dropped.
_TIME = re.compile(
    r"(?<![\w.:,])(?P<h>\d{1,2})(?:(?P<sep>[:.])(?P<min>[0-5]\d)(?::[0-5]\d)?)?(?![\d:])"
    r"(?:\s*(?P<ampm>[ap])(?:\.\s?)?m(?![a-z])\.?)?",
    re.IGNORECASE,
)
_TIME_VALUE = re.compile(r"(\d{1,2}):(\d{2})(?: ([ap])m)?")
_CLOCK_NOUN = "__clock__"  # every time has this noun: two different times can conflict


def _time_value(m: re.Match) -> str | None:
    """The time as "12:51 pm" (a.m. or p.m. known), as "12:51" (either), or None."""
    h, minutes, ampm = int(m["h"]), int(m["min"] or 0), (m["ampm"] or "").lower()
    if ampm:
        return f"{h}:{minutes:02d} {ampm}m" if 1 <= h <= 12 else None
    if m["sep"] != ":" or h > 23:
        return None  # "12.51" alone is a decimal
    if h == 0 or h > 12:  # 24-hour clock: "15:05" is 3:05 pm, "00:30" 12:30 am
        return f"{h % 12 or 12}:{minutes:02d} {'am' if h < 12 else 'pm'}"
    return f"{h}:{minutes:02d}"  # "12:51": the a.m. or p.m. is elsewhere or understood


def _is_time(value: float | str) -> bool:
    return isinstance(value, str) and _TIME_VALUE.fullmatch(value) is not None


def _time_readings(value: str) -> set[int]:
    """Minutes after midnight the time may mean: one, or two for a time without a.m./p.m."""
    h, minutes, ampm = _TIME_VALUE.fullmatch(value).groups()
    base = int(h) % 12 * 60 + int(minutes)
    if ampm:
        return {base + (720 if ampm == "p" else 0)}
    return {base, base + 720}


def _times(text: str) -> list[tuple[int, int, Quantity]]:
    """(start, end, quantity) of the clock times in ``text``, in text order."""
    out = []
    for m in _TIME.finditer(text):
        value = _time_value(m)
        if value:
            written = m.group(0).strip()
            out.append((m.start(), m.start() + len(written), Quantity(value, written, _CLOCK_NOUN)))
    return out


# ---------------------------------------------------------------- spelled-out numbers

# Number words that combine into one number: "two hundred and fifty", "seventy-five
# thousand", "two and a half million". Single words and tens-units are read by _NUM.
_CARDINALS = {
    w: v for w, v in NUMBER_WORDS.items() if " " not in w and isinstance(v, int) and 0 < v < 100
}
_SCALES = {w: MULTIPLIERS[w] for w in ("thousand", "million", "billion", "trillion")}
_LETTERS = re.compile(r"([A-Za-z]+)\b")
_NEXT_LETTERS = re.compile(r"(?:\s+|-)([A-Za-z]+)\b")
_AND_A_HALF = re.compile(r"\s+and\s+a\s+half\s+(thousand|million|billion|trillion)\b", re.I)
# "twenty-first": a tens word, a hyphen and an ordinal under ten
_ORDINAL_TAIL = re.compile(
    r"-(" + "|".join(w for w, v in ORDINALS.items() if v < 10) + r")\b", re.IGNORECASE
)


def _spelled_number(text: str, pos: int) -> tuple[float, int] | None:
    """(value, end) of the longest number written in words from ``pos``, or None."""
    total, group, prev, scale_cap = 0.0, 0.0, "", math.inf
    best = None
    m = _LETTERS.match(text, pos)
    # Each word must follow what may precede it, and scales fall ("two million five hundred
    # thousand"), so a run stops within a few words: linear in the text.
    while m:
        w = m.group(1).lower()
        if w == "a" and not prev:
            group, prev = 1.0, "a"  # "a hundred", "a million"
        elif w == "and" and prev in ("hundred", "scale"):
            prev = "and"  # "two hundred and fifty"
        elif w in _CARDINALS:
            v = _CARDINALS[w]
            if not (prev in ("", "hundred", "scale", "and") or (prev == "tens" and v < 10)):
                break  # "one two", "ten five": not one number
            group += v
            prev = "tens" if v >= 20 and v % 10 == 0 else "unit"
        elif w == "hundred" and prev in ("a", "unit", "tens") and group < 100:
            group *= 100
            prev = "hundred"
        elif w in _SCALES and prev in ("a", "unit", "tens", "hundred") and _SCALES[w] < scale_cap:
            total, group, prev, scale_cap = total + group * _SCALES[w], 0.0, "scale", _SCALES[w]
        else:
            break
        if prev not in ("a", "and"):
            best = (total + group, m.end())
            half = _AND_A_HALF.match(text, m.end()) if prev in ("unit", "tens") else None
            if half:
                return total + (group + 0.5) * _SCALES[half.group(1).lower()], half.end()
        m = _NEXT_LETTERS.match(text, m.end())
    return best


_NEXT_NOUN = re.compile(
    r"\s*(?:(?:of|the|more|new|additional|extra|other)\s+)*([A-Za-z][\w-]*)"
    r"(?:\s+([A-Za-z][\w-]*))?"
)
_WORD_AFTER = re.compile(r"\s+[a-z]")


def _next_noun(text: str, pos: int) -> tuple[str, str]:
    m = _NEXT_NOUN.match(text, pos)  # matched in place: a slice per number would be quadratic
    if not m:
        return "", ""
    w = m.group(1)
    if w.lower() in STOPWORDS:
        return "", ""
    second = m.group(2)
    two_words = second and second.lower() not in STOPWORDS and second[0].islower()
    shown_end = m.end(2 if two_words else 1)
    return stem(w), text[pos:shown_end]


_RANGE_START = re.compile(r"\bbetween\s+$", re.I)
_RANGE_AND = re.compile(r"\s+and\s+", re.I)


def quantities(text: str) -> list[Quantity]:
    """Numbers (digits, number words, ordinals) other than years and day-of-month; clock
    times; "between 70 and 80" as one range."""
    date_spans = [m.span() for m in _DATE.finditer(text)]
    next_date = 0  # both come in text order: one pass over the dates for all the numbers
    times = _times(text)
    next_time = 0  # the same for the times, each put in its place among the numbers
    skip_until = 0  # the end of a number read in words past its _NUM match
    range_start = None  # (index in out, where "between" starts, where its number ends)
    out = []
    for m in _NUM.finditer(text):
        while next_time < len(times) and times[next_time][1] <= m.start():
            out.append(times[next_time][2])
            next_time += 1
        if next_time < len(times) and times[next_time][0] <= m.start():
            continue  # the 12 and the 51 of "12:51"
        if m.start() < skip_until:
            continue  # the "hundred" of "two hundred"
        while next_date < len(date_spans) and date_spans[next_date][1] <= m.start():
            next_date += 1
        if next_date < len(date_spans) and date_spans[next_date][0] <= m.start():
            continue
        ordinal = False
        stop = m.end()
        if m.group("num"):
            raw = m.group("num").replace(",", "")
            try:
                value: float | str = float(raw)
            except ValueError:
                continue
            mult = (m.group("mult") or "").lower()
            if mult:
                value = value * MULTIPLIERS.get(mult, 1)
            if m.group("pct"):
                value = f"{value:g}%"
        elif m.group("word"):
            w = m.group("word").lower()
            if w in ("one",) and not _WORD_AFTER.match(text, m.end()):
                continue
            value = NUMBER_WORDS[w]
            if m.group("word2") and isinstance(value, (int, float)):
                value = value + NUMBER_WORDS[m.group("word2").lower()]
            if m.group("mult2") and isinstance(value, (int, float)):
                value = value * MULTIPLIERS[m.group("mult2").lower()]
            spelled = _spelled_number(text, m.start())
            tail = _ORDINAL_TAIL.match(text, stop)
            if spelled and spelled[1] > stop:  # "two hundred", "a hundred and fifty"
                value, stop = spelled
            elif tail and value in (20, 30, 40, 50, 60, 70, 80, 90) and not m.group("word2"):
                value, stop, ordinal = value + ORDINALS[tail.group(1).lower()], tail.end(), True
            skip_until = stop
        else:
            o = m.group("ord").lower()
            value = ORDINALS.get(o) or float(re.sub(r"\D", "", o))
            ordinal = True
        if isinstance(value, (int, float)):
            value = float(value)
        noun, shown = _next_noun(text, stop)
        full = text[m.start() : stop] + (text[stop : stop + len(shown)] if shown else "")
        if not shown:
            full = text[m.start() : stop]
        before = text[max(0, m.start() - 20) : m.start()]
        qual = ""
        if _ANY_QUALIFIER.search(before):  # one search for the many numbers without one
            qual = next((name for name, rx in _QUALIFIERS if rx.search(before)), "")
        if qual:
            qm = next(rx for name, rx in _QUALIFIERS if name == qual).search(before)
            full = before[qm.start() :] + full
        low = out[range_start[0]] if range_start else None
        if (
            low is not None
            and isinstance(value, float)
            and not ordinal
            and _RANGE_AND.fullmatch(text, range_start[2], m.start())
            and low.value <= value
        ):
            # "between 70 and 80 people": one quantity, shown whole, with the noun of the end
            shown_range = text[range_start[1] : m.start()] + full.lstrip()
            out[range_start[0]] = Quantity(low.value, shown_range, noun, False, "between", value)
            range_start = None
            continue
        range_start = None
        if isinstance(value, float) and not ordinal and not qual:
            opens = _RANGE_START.search(before)
            if opens:
                range_start = (len(out), m.start() - len(before) + opens.start(), stop)
        out.append(Quantity(value, full.strip(), noun, ordinal, qual))
    out.extend(q for _, _, q in times[next_time:])
    # "one" as a bare pronoun is too common to be a number; "a year and a half" etc. below
    for m in _DURATION.finditer(text):
        out.append(Quantity(stem(m.group(0)), m.group(0), "__duration__"))
    return out


@dataclass(frozen=True)
class DateRef:
    kind: str  # "md" (month+day), "m" (month), "y" (year), "wd" (weekday)
    value: tuple
    text: str


def dates(text: str) -> list[DateRef]:
    out = []
    for m in _DATE.finditer(text):
        g = m.groupdict()
        if g["m1"] or g["m2"]:
            mon = MONTHS[(g["m1"] or g["m2"]).lower().rstrip(".")]
            day = int(g["d1"] or g["d2"])
            if not 1 <= day <= 31:
                continue
            out.append(DateRef("md", (mon, day), m.group(0)))
            y = g["y1"] or g["y2"]
            if y:
                out.append(DateRef("y", (int(y),), y))
        elif g["m3"]:
            if g["m3"] == "May" and not g["y3"]:
                continue  # modal verb
            out.append(DateRef("m", (MONTHS[g["m3"].lower()],), m.group(0)))
            if g["y3"]:
                out.append(DateRef("y", (int(g["y3"]),), g["y3"]))
        elif g["y4"]:
            out.append(DateRef("y", (int(g["y4"]),), m.group(0)))
        elif g["wd"]:
            out.append(DateRef("wd", (g["wd"].lower(),), m.group(0)))
    return out


# ---------------------------------------------------------------- entities

# One run of white space between words (two adjacent runs would backtrack quadratically).
_CAP = re.compile(
    r"(?<![\w’'])([A-Z][\w’'.-]*(?:\s+(?:(?:of|the|de|van|von|al|bin|and)\s+)?[A-Z][\w’'-]*)*)"
)
COMMON_CAPS = word_list("common_caps.txt")
SENTENCE_OPENERS = word_list("sentence_openers.txt")
ROLE_WORDS = word_list("role_words.txt")
PORTFOLIOS = word_list("portfolios.txt")
CHARACTERISATIONS = word_list("characterisations.txt")


def is_office(role: str) -> bool:
    """'president', 'deputy mayor': an office, not a characterisation such as 'dictator'."""
    return role.split()[-1] not in CHARACTERISATIONS


def same_office(a: str, b: str) -> bool:
    """'minister' and 'foreign minister' may name one office; 'interior minister' and
    'foreign minister' do not, nor 'mayor' and 'deputy mayor'."""
    bare_a = [w for w in a.split() if w not in PORTFOLIOS]
    bare_b = [w for w in b.split() if w not in PORTFOLIOS]
    return a == b or (bare_a == bare_b and (bare_a == a.split() or bare_b == b.split()))


def _fold(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def _norm_entity(s: str) -> str:
    s = re.sub(r"['’]s?$", "", _fold(s.strip()))
    return s.strip(" .,-")


def is_function_word(token: str) -> bool:
    """A function word or sentence-opening adverb however it is capitalised ("About",
    "However", "It’s", "DURING"): capitalised only by its place, never a name. Two or three
    capitals are an acronym ("US", "IT", "UN"), not the word."""
    t = token.replace("’", "'").rstrip(".")
    if t in COMMON_CAPS:
        return True
    if t.isupper() and 1 < len(t) <= 3:
        return False
    low = t.lower()
    return low in STOPWORDS or low in SENTENCE_OPENERS


def entities(text: str) -> list[str]:
    """Capitalised spans, with leading function words (a sentence start) dropped."""
    out = []
    for m in _CAP.finditer(text):
        span = m.group(1)
        toks = span.split()
        first = 0  # an index, not a slice a word: a title-case run can be long
        while first < len(toks) and is_function_word(toks[first]):
            first += 1
        toks = toks[first:]
        if not toks:
            continue
        ent = _norm_entity(" ".join(toks))
        if len(ent) > 1 and not ent.isdigit():
            out.append(ent)
    return out


def entity_tokens(text: str) -> set[str]:
    toks = set()
    for e in entities(text):
        for t in e.split():
            t = _norm_entity(t)
            if re.fullmatch(r"[A-Z](?:\.[A-Z])+\.?", t):
                t = t.replace(".", "")  # U.S. -> US
            # inside a title-case span too ("Talks About Peace"); at the cost of "may" in
            # "Theresa May", which only makes the missing-name check less strict
            if (
                t
                and t[0].isupper()
                and t.lower() not in ("of", "the", "and")
                and not is_function_word(t)
            ):
                toks.add(t.lower())
    return toks


def role_mentions(text: str) -> dict[str, tuple[str, str]]:
    """{surname: (role, full mention)} for 'Belarusian dictator Alexander Lukashenko'."""
    out = {}
    for m in re.finditer(
        r"\b(?:(?P<adj>[A-Z][a-z]+(?:ian|ese|ish|an|i))\s+)?(?P<role>(?i:"
        r"(?:(?:deputy|vice|acting|interim|former|assistant|senior|chief|lead|ex-)[\s-]*)?"
        r"(?:(?:"
        + "|".join(sorted(PORTFOLIOS))
        + r")\s+)?(?:"
        + "|".join(sorted(ROLE_WORDS, key=len, reverse=True))
        + r")))(?:\s+Minister)?\s+(?P<name>(?:[A-Z][\w’'-]+\s+){0,2}[A-Z][\w’'-]+)",
        text,
    ):
        name = m.group("name")
        if not name[0].isupper():
            continue
        surname = _norm_entity(name.split()[-1]).lower()
        if surname.capitalize() in COMMON_CAPS:
            continue
        role = " ".join(m.group("role").lower().split())
        if role == "prime":
            role = "prime minister"
        out[surname] = (role, _norm_entity(m.group(0)))
    return out


def _slots(text: str) -> dict[str, tuple[str, str]]:
    """{lower token: (previous word, next word)} for capitalised tokens not starting a sentence."""
    toks = re.findall(r"[A-Za-zÀ-ÿ][\w’'-]*|\d+", text)
    out = {}
    for i, t in enumerate(toks):
        if i == 0 or not t[0].isupper() or is_function_word(t):
            continue
        base = _norm_entity(t).lower()
        prev = toks[i - 1].lower()
        nxt = toks[i + 1].lower() if i + 1 < len(toks) else ""
        out.setdefault(base, (prev, nxt))
    return out


def substituted_entity(
    claim: str, source: str, missing: list[str], loose: bool = False
) -> tuple[str, str] | None:
    """A claim name absent from the sources standing where the source has another name:
    same word before it and same word after it ("in Moscow on" / "in Minsk on"). Unless
    ``loose`` (the two sentences share most words), one neighbour must be a content word."""
    cs, ss = _slots(claim), _slots(source)
    for tok in missing:
        if tok not in cs:
            continue
        prev, nxt = cs[tok]
        for stok, (sprev, snxt) in ss.items():
            if stok in cs or stok == tok:
                continue
            if (
                prev == sprev
                and nxt == snxt
                and (loose or prev not in STOPWORDS or nxt not in STOPWORDS)
            ):
                return _find_token(source, stok), _find_token(claim, tok)
    return None


def _find_token(text: str, tok: str) -> str:
    m = re.search(r"\b" + re.escape(tok) + r"\w*", text, re.I)
    return m.group(0) if m else tok


# ---------------------------------------------------------------- negation / refutation

_REFUTE = re.compile(
    r"\b(?:false|falsely|fake|hoax|misleading|mislead|incorrect|untrue|inaccurate|"
    r"debunk\w*|fabricat\w*|baseless|unfounded|no evidence|not true|not real|"
    r"there is no|there was no|there are no|no record|doctored|altered|satire|"
    r"myth|rumou?r|conspiracy|unlikely|not (?:the case|correct|accurate))\b",
    re.IGNORECASE,
)
# A sentence that is a bare answer ("No.", "No, the photo shows ..."), as fact-checks answer
# the question a claim raises; "No one ..." or "No evidence ..." are not answers.
_ANSWER = re.compile(r"^\W*(no|yes)\W*$|^\s*(no|yes)\s*[,.;:!—–-]", re.IGNORECASE)


NEGATORS = word_list("negators.txt")
_HARD_NEG = re.compile(
    r"\b(?:not|never|no|none|nobody|nothing|neither|nor|cannot|den(?:y|ies|ied|ying)|"
    + "|".join(sorted(NEGATORS))
    + r")\b|n['’]t\b",
    re.IGNORECASE,
)
# Words inside a negation's reach that do not use it up ("not being directly involved").
_NEG_PASS = frozenset({"being", "directly", "really"})
_CLAUSE_END = re.compile(r"[,;:.!?()]")


def negated_stems(text: str, reach: int = 2) -> set[str]:
    """Stems of the content words a negation governs ("not involved", "denied X", "a lack of
    direct involvement"): up to ``reach`` of them, within its clause."""
    out = set()
    for m in _HARD_NEG.finditer(text):
        scope = _CLAUSE_END.split(text[m.end() : m.end() + 60], maxsplit=1)[0]
        taken = 0
        for w in re.findall(r"[A-Za-z’'-]+", scope):
            if w.lower() in STOPWORDS:
                continue
            out.add(stem(w))
            taken += w.lower() not in _NEG_PASS
            if taken == reach:
                break
    return out


def negation_conflict(claim: str, source: str) -> tuple[str, str] | None:
    """A predicate negated in one text and asserted in the other. Asserted means no negation
    within a wider reach: "no direct military involvement" and "not directly involved" both
    negate "involved"."""
    for neg, other in ((source, claim), (claim, source)):
        asserted = content_stems(other) - negated_stems(other, reach=4)
        for st in sorted(negated_stems(neg) & asserted):
            return _around(source, st), _around(claim, st)
    return None


def _around(text: str, st: str, width: int = 3) -> str:
    toks = re.findall(r"\S+", text)
    for i, t in enumerate(toks):
        w = re.sub(r"[^\w’'-]", "", t)
        if w and stem(w) == st:
            return " ".join(toks[max(0, i - width) : i + 2]).strip(",.;:")
    return st


_UP = re.compile(
    r"\b(increas\w*|ris(?:e|es|ing|en)|rose|gr[eo]w(?:s|n|ing|th)?|gain(?:s|ed|ing)?|higher|"
    r"surg\w*|jump(?:s|ed|ing)?|climb\w*|soar\w*|expand\w*|boost\w*|doubl\w*|tripl\w*)\b",
    re.IGNORECASE,
)
_DOWN = re.compile(
    r"\b(decreas\w*|declin\w*|f[ae]ll(?:s|en|ing)?|drop(?:s|ped|ping)?|shr[iau]nk\w*|lower|"
    r"plung\w*|plummet\w*|slump\w*|reduc\w*|cut(?:s|ting)?|contract(?:ed|ing|ion)|"
    r"los[st](?:es|ing)?|halv\w*|dwindl\w*)\b",
    re.IGNORECASE,
)


def direction_conflict(claim: str, source: str) -> tuple[str, str] | None:
    """Claim says something went up where the source says it went down, or the reverse."""
    c_up, c_down = _UP.search(claim), _DOWN.search(claim)
    s_up, s_down = _UP.search(source), _DOWN.search(source)
    if c_up and not c_down and s_down and not s_up:
        return _span(source, s_down), _span(claim, c_up)
    if c_down and not c_up and s_up and not s_down:
        return _span(source, s_up), _span(claim, c_down)
    return None


def _span(text: str, m: re.Match, after: int = 3) -> str:
    tail = re.findall(r"\S+", text[m.end() :])[:after]
    return " ".join([m.group(0), *tail]).rstrip(",.;:")


def refutes(text: str) -> int:
    return len(_REFUTE.findall(text)) + (answer(text) == "no")


def answer(text: str) -> str | None:
    """The answer a bare-answer sentence gives ("no" or "yes"), else None."""
    m = _ANSWER.match(text)
    return (m.group(1) or m.group(2)).lower() if m else None


# ---------------------------------------------------------------- tense / modality

_V = r"([A-Za-z][a-z-]{2,})"
_MODAL_SCOPES = [
    # "will be deployed", "would deploy", "is expected to be handed"
    re.compile(
        r"\b(?:will|shall|would|could|may|might)\s+(?:not\s+)?(?:be\s+|have\s+been\s+)?" + _V, re.I
    ),
    re.compile(
        r"\b(?:is|are|was|were|be|been)\s+(?:\w+\s+)?(?:expected|set|due|scheduled|"
        r"planned|planning|going|about|poised|likely|slated|hoping|preparing)\s+to\s+"
        r"(?:be\s+)?" + _V,
        re.I,
    ),
    # "asked Putin on Dec. 6 to deploy", "plans to build", "called for ... to be"
    re.compile(
        r"\b(?:ask(?:s|ed)?|request(?:s|ed)?|urg(?:es|ed)|call(?:s|ed)? on|"
        r"call(?:s|ed)? for|want(?:s|ed)?|propos(?:es|ed)|plan(?:s|ned)?|intend(?:s|ed)?|"
        r"promis(?:es|ed)|vow(?:s|ed)|offer(?:s|ed)|threaten(?:s|ed)|seek(?:s)?|sought|"
        r"hop(?:es|ed)|aim(?:s|ed)?|pledg(?:es|ed)|agree(?:s|d)?|decid(?:es|ed)|"
        r"order(?:s|ed)|demand(?:s|ed))\b[^;:]{0,60}?\bto\s+(?:be\s+)?" + _V,
        re.I,
    ),
    re.compile(
        r"\b(?:request|plan|proposal|call|bid|demand|promise|pledge|offer)s?\s+"
        r"to\s+(?:be\s+)?" + _V,
        re.I,
    ),
]
_REALISED_BLOCK = re.compile(
    r"\b(?:will|would|could|may|might|shall|to|be|not|never|if|whether)\s+$", re.I
)


def modal_events(text: str) -> dict[str, str]:
    """{verb stem: phrase} for events the text reports as requested, planned or future."""
    out: dict[str, str] = {}
    for rx in _MODAL_SCOPES:
        for m in rx.finditer(text):
            verb = m.group(1)
            if verb.lower() in STOPWORDS or len(verb) < 4:
                continue
            phrase = m.group(0)
            if len(phrase.split()) > 5:
                phrase = " ".join(phrase.split()[:1]) + " … " + " ".join(phrase.split()[-2:])
            out.setdefault(stem(verb), phrase)
    return out


def realised_events(text: str) -> set[str]:
    """Stems of verbs the text states as having happened (simple past / perfect)."""
    out = set()
    for m in re.finditer(r"\b([A-Za-z][a-z-]{2,}ed)\b", text):
        before = text[max(0, m.start() - 24) : m.start()]
        if _REALISED_BLOCK.search(before) or re.search(
            r"\b(?:to|will|would|could|may|might)\s+(?:be|have|have been)\s+$", before, re.I
        ):
            continue
        out.add(stem(m.group(1)))
    return out


def modality_conflict(
    claim: str, source: str, sources_text: str = "", realised: set[str] | None = None
) -> tuple[str, str] | None:
    """Source reports an event as requested/planned/future; claim says it happened.

    ``sources_text`` (or its precomputed ``realised_events``): all source text; an event
    stated anywhere as done is no conflict. Returns (source phrase, claim word) or None.
    """
    modal = modal_events(source)
    if not modal:
        return None
    done_in_sources = realised if realised is not None else realised_events(sources_text or source)
    claim_modal = modal_events(claim)
    for m in re.finditer(r"\b([A-Za-z][a-z-]{2,}ed)\b", claim):
        st = stem(m.group(1))
        if st not in modal or st in done_in_sources or st in claim_modal:
            continue
        before = claim[max(0, m.start() - 24) : m.start()]
        if _REALISED_BLOCK.search(before) or re.search(
            r"\b(?:to|will|would|could|may|might)\s+(?:be|have|have been)\s+$", before, re.I
        ):
            continue
        return modal[st], m.group(1)
    return None


# ---------------------------------------------------------------- subjectivity cues

HEDGES = word_list("hedges.txt")
EVALUATIVE = word_list("evaluative.txt")
EVAL_VERBS = word_list("eval_verbs.txt")
NAMED_ACTS = word_list("named_acts.txt")
SPEECH_VERBS = re.compile(
    r"\b(?:" + "|".join(sorted(word_list("speech_verbs.txt"), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_SPECULATION = re.compile(
    r"\b(could be (?:interpreted|seen|read|viewed|argued)|it is (?:possible|likely|clear|"
    r"hard to|difficult to|easy to)|one (?:could|might|can) (?:argue|say|wonder)|"
    r"raising questions|remains? (?:to be seen|unclear|largely unanswered|unanswered)|"
    r"it (?:seems|appears|looks like)|the question (?:of|is) whether|in fact|"
    r"whether (?:willing|or not)|if anything|far from over|"
    r"I (?:think|believe|suspect|guess|feel|doubt|fear|hope)|in my (?:view|opinion)|"
    r"(?:we|you) (?:must|should|need to|ought to))",
    re.IGNORECASE,
)
# evaluative or deontic framing: the author judging, not guessing
_FRAMING = re.compile(
    r"\b(it['’]s (?:a|an|not|clear|hard|time)|there is no doubt|no wonder|of course|"
    r"in other words|needs? to|ought to|should|must|and rightly so|rightly|wrongly|"
    r"thankfully|shamefully|foolishly|wisely)\b",
    re.IGNORECASE,
)
FIRST_PERSON = re.compile(r"\b(?:I|we|us|our|ours|my|me|let['’]s)\b")


def _outside_quotes(text: str) -> str:
    return re.sub(r"[“\"][^”\"]{0,400}[”\"]", " ", text)


def evaluative_verbs(free: str) -> list[str]:
    """The evaluative verbs of ``free`` (text outside quotations), less those that report
    what a name did: "Zelensky Reveals …" reports a disclosure, "The apology reveals …" is
    the author's reading (a capitalised word that is not a function word names the subject;
    "This shows …" still counts)."""
    words = list(re.finditer(r"[A-Za-z’'-]+", free))
    out = []
    for i, m in enumerate(words):
        verb = m.group(0).lower().replace("’", "'")
        if verb not in EVAL_VERBS:
            continue
        before = words[i - 1] if i else None
        if (
            verb in NAMED_ACTS
            and before is not None
            and not free[before.end() : m.start()].strip()  # "Zelensky, reveals" is not
            and before.group(0)[0].isupper()
            and not is_function_word(before.group(0))
        ):
            continue
        out.append(m.group(0))
    return out


def subjectivity_cues(text: str) -> dict[str, float]:
    """Counts of the explicit signs of opinion outside quotations (what the decision reads:
    ``decision.cue_score``, and hedges, speculation and modals for forecasts), and whether the
    sentence reports someone's words: a quotation of two words or more, with a speech verb
    outside it ("…," she said)."""
    free = _outside_quotes(text)
    toks = [w.lower().replace("’", "'") for w in re.findall(r"[A-Za-z’'-]+", free)]
    return {
        "hedges": sum(t in HEDGES for t in toks),
        "modals": sum(
            t in ("could", "might", "may", "would", "should", "must", "ought") for t in toks
        ),
        "evaluative": sum(t in EVALUATIVE for t in toks) + len(_FRAMING.findall(free)),
        "eval_verbs": len(evaluative_verbs(free)),
        "speculation": len(_SPECULATION.findall(free)),
        "first_person": len(FIRST_PERSON.findall(free)),
        "question": 1.0 if free.rstrip().rstrip("”\"’'").endswith("?") else 0.0,
        "quoted_speech": float(
            bool(re.search(r"[“\"][^”\"]*\s[^”\"]*[”\"]", text) and SPEECH_VERBS.search(free))
        ),
    }


def cue_phrases(text: str, limit: int = 3) -> list[str]:
    """The words/phrases that made a sentence look like opinion, for reasons."""
    free = _outside_quotes(text)
    found = [m.group(0) for m in _SPECULATION.finditer(free)]
    found += [m.group(0) for m in _FRAMING.finditer(free)]
    verbs = evaluative_verbs(free)
    for w in re.findall(r"[A-Za-z’'-]+", free):
        lw = w.lower()
        if lw in HEDGES or lw in EVALUATIVE or w in verbs:
            found.append(w)
    # "It’s a" / "It’s not" only when nothing more telling was found
    weak = [f for f in found if re.fullmatch(r"it['’]s \w+", f, re.I)]
    strong = [f for f in found if f not in weak]
    found = strong or weak
    out: list[str] = []
    for f in found:
        lf = f.lower()
        if any(lf in o.lower() for o in out):
            continue  # "seems" inside "It seems"
        out = [o for o in out if o.lower() not in lf]
        out.append(f)
    return out[:limit]
