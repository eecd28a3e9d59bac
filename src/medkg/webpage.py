"""Articles published as HTML pages, turned into the encyclopedia's text format.

Headings become heading lines, list items become "  • " bullets, paragraphs become
paragraphs. Scripts, styles, the page title and the fallback text of embedded content
(iframes, objects, media, canvases) are ignored; the head holds nothing else that is text, so
a page whose ``</head>`` is left out (HTML allows that) reads the same. The result is parsed
like any other article, so offsets refer to this text.
"""

from __future__ import annotations

from html.parser import HTMLParser

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {"p", "li", "div", "section", "article", "footer", "header", "main", "br", "tr"}
_IGNORED = {
    *("script", "style", "title", "noscript", "template", "svg", "math"),
    # fallback text, shown only where the embedded content cannot be
    *("iframe", "object", "video", "audio", "canvas", "noembed", "noframes"),
}


class _TextWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.ignoring = 0
        self.prefix = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _IGNORED:
            self.ignoring += 1
        elif tag in _HEADINGS or tag in _BLOCKS:
            self._flush()
            self.prefix = "  • " if tag == "li" else ""

    def handle_endtag(self, tag: str) -> None:
        if tag in _IGNORED:
            self.ignoring = max(0, self.ignoring - 1)
        elif tag in _HEADINGS or tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.ignoring:
            self.current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(self.prefix + text)
        self.current = []
        self.prefix = ""


def to_text(html: str) -> str:
    """The page as article text: one block per line group, blank lines between blocks,
    consecutive list items kept together."""
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    writer._flush()
    lines: list[str] = []
    for block in writer.blocks:
        bullet = block.startswith("  • ")
        if lines and not (bullet and lines[-1].startswith("  • ")):
            lines.append("")
        lines.append(block)
    return "\n".join(lines) + "\n"
