from __future__ import annotations

from articles.text import decode_upload, html_to_text, most_sentences, normalise

NEWS_PAGE = """<!doctype html><html><head><title>Budget vote</title><style>p{}</style>
<script>var x = "<p>no</p>";</script></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav>The Daily</header>
<main><article><header><h1>Council passes budget</h1></header>
<p>The council approved a budget of 5 million euros
on Tuesday.</p>
<p>The vote was 12 to 3, said Mayor Jane Smith. "It was close," she said.</p>
<div class="share" hidden>Share on Facebook</div>
<p>Opposition members said the plan &amp; its cuts would hurt schools.</p></article>
<aside class="most-viewed"><h2>Most viewed</h2><ol><li><a href="/a">Storm hits coast</a></li>
<li><a href="/b">Celebrity weds</a></li></ol></aside>
<article class="teaser"><p>Other story</p></article>
</main><footer><p>© 2026 The Daily. All rights reserved.</p></footer></body></html>"""


def test_a_news_page_is_reduced_to_its_story_one_paragraph_per_block():
    assert html_to_text(NEWS_PAGE) == (
        "Council passes budget\n\n"
        "The council approved a budget of 5 million euros on Tuesday.\n\n"
        'The vote was 12 to 3, said Mayor Jane Smith. "It was close," she said.\n\n'
        "Opposition members said the plan & its cuts would hurt schools."
    )


def test_menus_asides_footers_and_scripts_never_reach_the_text():
    text = html_to_text(NEWS_PAGE)
    for boilerplate in ("Home", "Most viewed", "Storm hits", "©", "Share on", "no</p>", "{}"):
        assert boilerplate not in text


def test_a_page_without_article_keeps_its_body_and_line_breaks():
    html = (
        "<!doctype html><html><head><title>Ignored</title></head><body><nav>Menu</nav>"
        "<h1>Headline</h1><p>First &ldquo;quoted&rdquo; paragraph<br>continues.</p>"
        "<ul><li>One</li><li>Two</li></ul></body></html>"
    )
    assert html_to_text(html) == "Headline\n\nFirst “quoted” paragraph\ncontinues.\n\nOne\n\nTwo"


def test_markup_in_html_text_never_survives_as_tags():
    text = html_to_text('<p onclick="x()">a &lt;script&gt; b</p><img src=x onerror=alert(1)>')
    assert text == "a <script> b"


def test_a_page_of_nothing_but_comments_or_space_has_no_text():
    assert html_to_text("<!---->" * 30) == ""
    assert html_to_text("   ") == ""


def test_a_page_declaring_another_encoding_is_read_as_the_utf8_it_was_decoded_from():
    assert html_to_text('<?xml version="1.0" encoding="iso-8859-1"?><p>Café <b>noir</b></p>') == (
        "Café noir"
    )


def test_an_html_file_opening_with_comments_is_recognised_as_a_page():
    page = (
        "<!-- generated -->\n" * 3 + "<html><body><p>The council met.</p></body></html>"
    ).encode()
    assert decode_upload(page, ".txt") == "The council met."


def test_most_sentences_is_never_below_what_the_engine_finds():
    from claims.annotator import split_claims

    for text in (
        "One. Two! Three? Four…",
        "Title line\nA sentence. “Quoted.” (Bracketed.) Last",
        "Mr. Smith met Dr. Jones. No. 5 won.",
        "word " * 3000,
    ):
        assert most_sentences(text, claim_chars=1000) >= len(split_claims(text, 1000))


def test_normalise_uses_one_newline_convention_and_drops_nul_bytes():
    assert normalise("  a\r\nb\rc\x00d  ") == "a\nb\ncd"
