"""Articles published as HTML pages, turned into the encyclopedia's text format.

The page is parsed by an HTML5 parser (Lexbor, through selectolax), which builds the tree a
browser builds: implied and missing tags, a head left open, stray markup. The article is the
page's ``<main>`` (else its ``<article>``, else the body); the site around it is not content:
navigation, site headers and footers, asides, forms, scripts, styles, hidden elements and the
fallback text of embedded content (iframes, objects, media, canvases). The title is the
article's ``<h1>`` (else the page's first ``<h1>``, else ``<title>``), never the site name in
a header or a menu.

Headings become heading lines, list items become "  • " bullets, other blocks become
paragraphs. The result is parsed like any other article, so offsets refer to this text.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {
    *("p", "div", "section", "article", "main", "br", "tr", "table", "ul", "ol", "li"),
    *("dl", "dt", "dd", "blockquote", "pre", "figure", "figcaption", "details", "summary"),
    *("header", "footer", "address", "hr"),
}
# never article text: the site around the article, code, and what stands in for embedded content
_NOT_CONTENT = ", ".join(
    (
        *("script", "style", "template", "noscript", "nav", "aside", "form", "button"),
        *("select", "textarea", "dialog", "svg", "math", "iframe", "object", "embed"),
        *("video", "audio", "canvas", "noembed", "noframes", "[hidden]"),
        '[aria-hidden="true"]',
        *(f'[role="{role}"]' for role in ("navigation", "search", "banner", "contentinfo")),
        '[role="complementary"]',
    )
)
_BULLET = "  • "


def to_text(html: str) -> str:
    """The page as article text: its title on the first line, then one block per line group,
    blank lines between blocks, consecutive list items kept together."""
    tree = LexborHTMLParser(html)
    for node in tree.css(_NOT_CONTENT):
        node.decompose()
    root = tree.css_first("main") or tree.css_first("article") or tree.body
    if root is None:
        return ""
    # the site's header and footer (or the article's footer: its date and sharing links)
    for node in root.css("footer"):
        node.decompose()
    heading = root.css_first("h1") or tree.css_first("h1")
    for node in root.css("header"):
        if heading is None or node.css_first("h1") is None:
            node.decompose()
    title = _words(heading.text(deep=True)) if heading else _page_title(tree)
    blocks = [title] if title else []
    blocks += _blocks(root, skip=heading)
    return _join(blocks)


def _page_title(tree: LexborHTMLParser) -> str:
    node = tree.css_first("title")
    return _words(node.text(deep=True)) if node else ""


def _blocks(root: LexborNode, skip: LexborNode | None) -> list[str]:
    """The text blocks under ``root`` in document order (``skip``: the title's heading)."""
    blocks: list[str] = []
    current: list[str] = []
    prefix = ""

    def flush() -> None:
        nonlocal prefix
        text = _words("".join(current))
        if text:
            blocks.append(prefix + text)
        current.clear()
        prefix = ""

    # an explicit stack, so that a page nested ten thousand deep is no recursion
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag or ""
        if leaving:
            if tag in _HEADINGS or tag in _BLOCKS:
                flush()
            continue
        if tag == "-text":
            current.append(node.text_content or "")
            continue
        if skip is not None and node.mem_id == skip.mem_id:
            continue
        if tag in _HEADINGS or tag in _BLOCKS:
            flush()
            prefix = _BULLET if tag == "li" else ""
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    flush()
    return blocks


def _words(text: str) -> str:
    return " ".join(text.split())


def _join(blocks: list[str]) -> str:
    lines: list[str] = []
    for block in blocks:
        bullet = block.startswith(_BULLET)
        if lines and not (bullet and lines[-1].startswith(_BULLET)):
            lines.append("")
        lines.append(block)
    return "\n".join(lines) + "\n" if lines else ""
