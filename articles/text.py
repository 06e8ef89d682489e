"""Turning uploaded files into article text."""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
TEXT_EXTENSIONS = {".txt", ".md", ".markdown"}
HTML_EXTENSIONS = {".html", ".htm"}

# Elements whose content is never article text: code, forms, embedded objects, and the
# page furniture around a story (menus, "Most viewed" and "Related" asides, site footers).
_DROPPED = (
    "head",
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "form",
    "button",
    "select",
    "nav",
    "aside",
    "footer",
    "dialog",
)
_DROPPED_ROLES = ("navigation", "complementary", "contentinfo", "banner", "search", "dialog")
_DROP = etree.XPath(
    "|".join(f"//{tag}" for tag in _DROPPED)
    + "|//*[@hidden or @aria-hidden='true']"
    + "".join(f"|//*[@role='{role}']" for role in _DROPPED_ROLES)
    # A site's masthead; the header inside a story holds its headline.
    + "|//header[not(ancestor::article or ancestor::main)]"
)
_STORIES = etree.XPath("//article[not(ancestor::article)]")
_MAIN = etree.XPath("//main")
# Elements that end a paragraph.
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "blockquote",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
# White space inside a text node is a space in HTML; newlines come from the markup alone.
_SPACES = str.maketrans("\n\r\t\f\v", "     ")

# What a file's first bytes say it is, whatever its name claims.
SIGNATURES = {
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (a Word or OpenDocument file?)",
    b"\xd0\xcf\x11\xe0": "an old Word or Excel document",
    b"{\\rtf": "an RTF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
}
_DOCUMENT_STARTS = ("<!doctype html", "<html", "<head", "<body")
# A tag's or comment's first characters, fixed width: the search is linear however the
# text is built.
_TAG_START = re.compile(r"<(?:/?[A-Za-z]|!--)")
# A sentence can end here: terminal punctuation before white space or a closing quote.
_SENTENCE_END = re.compile(r"[.!?…](?=[\s\"'”’»)\]}])")


class UnreadableText(ValueError):
    pass


def _story(root: etree._Element) -> etree._Element:
    """The part of a page that is the story: its longest <article>, else <main>, else all."""
    stories = _STORIES(root)
    if stories:
        return max(stories, key=lambda element: len(element.text_content()))
    main = _MAIN(root)
    return main[0] if main else root


def _text_lines(story: etree._Element, dropped: set[etree._Element]) -> str:
    """The text of an element with "\\n" at each line break and "\\n\\n" around each block,
    leaving out the dropped elements (their tails stay: they are the text after them)."""
    parts: list[str] = []
    walker = etree.iterwalk(story, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if element in dropped:
                walker.skip_subtree()
                continue
            if tag == "br":
                parts.append("\n")
            elif tag in _BLOCKS:
                parts.append("\n\n")
            if element.text and tag:
                parts.append(element.text.translate(_SPACES))
        else:
            if tag in _BLOCKS and element not in dropped:
                parts.append("\n\n")
            if element.tail and element is not story:
                parts.append(element.tail.translate(_SPACES))
    return "".join(parts)


def html_to_text(markup: str) -> str:
    """The story of an HTML page as text, one paragraph per block; markup never survives.

    libxml2 (through lxml) parses in time linear in the page and gives up past a nesting
    depth of 256, so no page can stall an upload. Menus, asides, footers and hidden
    elements are dropped, and a page with an <article> (or <main>) keeps only that.
    """
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml_html.document_fromstring(markup.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return ""  # nothing but white space or comments
    # Skipped while walking: dropping each from the tree would move its tail onto a growing
    # neighbour, in time quadratic in their number.
    dropped = set(_DROP(root))
    paragraphs: list[str] = []
    lines: list[str] = []
    for raw in _text_lines(_story(root), dropped).split("\n"):
        line = " ".join(raw.split())
        if line:
            lines.append(line)
        elif lines:
            paragraphs.append("\n".join(lines))
            lines = []
    if lines:
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _is_html_document(text: str) -> bool:
    """Whether the text opens as an HTML page does (after white space and comments)."""
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if not text.startswith("<!--", at):
            break
        end = text.find("-->", at + 4)
        if end == -1:
            return False
        at = end + 3
    head = text[at : at + 16].lower()
    return any(
        head.startswith(start) and (len(head) == len(start) or not head[len(start)].isalnum())
        for start in _DOCUMENT_STARTS
    )


def most_sentences(text: str, *, claim_chars: int) -> int:
    """An upper bound, in one linear pass, on the claims the engine will find in ``text``.

    The engine (which this app does not import) ends a sentence only at a line break or at
    terminal punctuation, and cuts one longer than ``claim_chars`` into pieces of at least
    half that.
    """
    ends = text.count("\n") + 1 + sum(1 for _ in _SENTENCE_END.finditer(text))
    return ends + 2 * len(text) // claim_chars


def normalise(text: str) -> str:
    """One newline convention and no NUL bytes, so offsets mean the same everywhere."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()


def decode_upload(data: bytes, extension: str) -> str:
    """Decode an uploaded .txt/.md/.html file into article text, or raise UnreadableText.

    The content decides: a PDF named .txt is refused, an HTML page named .txt is reduced
    to its text, and a .html file with no markup is kept as the text it is.
    """
    for signature, kind in SIGNATURES.items():
        if data.startswith(signature):
            raise UnreadableText(f"The file is {kind}, not text. Paste its text instead.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableText(
            "The file is not UTF-8 text. Save it as UTF-8 and upload it again."
        ) from exc
    if "\x00" in text:
        raise UnreadableText("The file contains binary data, not text.")
    if _is_html_document(text) or (extension in HTML_EXTENSIONS and _TAG_START.search(text)):
        text = html_to_text(text)
    return normalise(text)
