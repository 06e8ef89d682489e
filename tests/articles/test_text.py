from __future__ import annotations

from articles.text import html_to_text, normalise


def test_html_is_reduced_to_its_visible_text_one_paragraph_per_block():
    html = (
        "<!doctype html><html><head><title>Ignored</title><script>var x = '<p>no</p>';</script>"
        "</head><body><nav>Menu</nav><h1>Headline</h1><p>First &ldquo;quoted&rdquo; "
        "paragraph<br>continues.</p><ul><li>One</li><li>Two</li></ul></body></html>"
    )
    assert html_to_text(html) == "Headline\n\nFirst “quoted” paragraph\n\ncontinues.\n\nOne\n\nTwo"


def test_markup_in_html_text_never_survives_as_tags():
    text = html_to_text('<p onclick="x()">a &lt;script&gt; b</p><img src=x onerror=alert(1)>')
    assert text == "a <script> b"


def test_normalise_uses_one_newline_convention_and_drops_nul_bytes():
    assert normalise("  a\r\nb\rc\x00d  ") == "a\nb\ncd"
