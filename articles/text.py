"""Turning uploaded files into article text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
TEXT_EXTENSIONS = {".txt", ".md", ".markdown"}
HTML_EXTENSIONS = {".html", ".htm"}

# Elements whose content is never article text.
_SKIPPED = {"script", "style", "head", "noscript", "template", "svg", "iframe", "object", "nav"}
# Elements that end a line of text.
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "figure",
    "figcaption",
    "tr",
    "table",
    "pre",
    "hr",
    "title",
    "main",
    "dd",
    "dt",
}


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
HTML_DOCUMENT = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
HTML_TAG = re.compile(r"</?[a-z][a-z0-9]*\b[^>]*>", re.I)


class UnreadableText(ValueError):
    pass


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML document, one paragraph per block; markup never survives."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (
        re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip()
        for line in "".join(extractor.parts).split("\n")
    )
    return "\n\n".join(line for line in lines if line)


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
    if HTML_DOCUMENT.match(text) or (extension in HTML_EXTENSIONS and HTML_TAG.search(text)):
        text = html_to_text(text)
    return normalise(text)
