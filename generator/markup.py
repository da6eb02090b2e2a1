"""Markdown (bios and the organisers' pages) to sanitised HTML: GitHub-flavoured habits, nothing that runs.

Python-Markdown parses with the extensions members expect from GitHub: fenced code, tables,
lists that nest with 2 spaces (mdx_truly_sane_lists, the extension MkDocs users rely on for
exactly this), bare URLs as links and ~~strikethrough~~ (pymdown-extensions, a well-kept pack).
attr_list and md_in_html stay off: they would let a bio write attributes (`{: onclick=...}`).

Whatever Markdown produces then goes through nh3 (bindings to ammonia, the allowlist sanitiser
of a browser-security project) rather than our own filtering: only the tags and attributes
below survive, URLs must be http, https or mailto (or a #fragment of the same page), and
every link gets rel="nofollow ugc noopener".

Images are never embedded. A remote image in a bio is a tracking pixel: it tells its owner
who read the profile and when. A Markdown image becomes a link to the image ("Image: alt"),
so a visitor loads it only by choice; a raw HTML <img> is dropped by the sanitiser.
Headings are renumbered into the page's outline: the text's highest heading becomes <h3> in a bio
(under the page's "About" <h2>), each deeper one a level below its parent with no level skipped,
so every page keeps one <h1> and an outline screen readers can walk.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Callable

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ["fenced_code", "tables", "mdx_truly_sane_lists", "pymdownx.magiclink", "pymdownx.tilde"]
EXTENSION_CONFIGS = {
    "mdx_truly_sane_lists": {"nested_indent": 2, "truly_sane": True},
    "pymdownx.tilde": {"subscript": False},  # ~~strike~~ only; a lone ~ stays a tilde
    "pymdownx.magiclink": {"hide_protocol": False},
}

LINK_REL = "nofollow ugc noopener"
URL_SCHEMES = {"http", "https", "mailto"}
_INLINE = {"a", "abbr", "b", "br", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "samp",
           "small", "span", "strong", "sub", "sup", "var"}
_BLOCK = {"blockquote", "dd", "details", "div", "dl", "dt", "hr", "li", "ol", "p", "pre", "summary",
          "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
# Removed together with their content: what is inside them is code or chrome, never prose.
_DROP_WITH_CONTENT = {"script", "style", "template", "textarea", "title", "noscript", "select", "iframe",
                      "object", "embed", "svg", "math", "frame", "frameset", "noembed", "xmp", "plaintext"}
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "code": {"class"}, "ol": {"start"},
               "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}
_LANGUAGE = re.compile(r"^language-[A-Za-z0-9_+#.-]{1,40}$")
_ABSOLUTE = re.compile(r"^(https?|mailto):", re.IGNORECASE)
# nh3 writes every attribute as name="value" with quotes escaped, so this reads its output exactly.
_ANCHOR = re.compile(r'<a((?: [a-z-]+="[^"]*")*)>')
_HEADINGS = {f"h{n}": n for n in range(1, 7)}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Keep a code block's language class and absolute or same-page links; drop anything else.

    A relative link (`/about/`) would break when the site lives under a sub-path, so it goes.
    """
    if attribute == "class":
        return value if tag == "code" and _LANGUAGE.match(value) else None
    if attribute == "href":
        value = value.strip()
        return value if _ABSOLUTE.match(value) or value.startswith("#") else None
    return value


class _Tidy(Treeprocessor):
    """Renumber headings into the page's outline and turn images into links (see the module docstring)."""

    def __init__(self, md: markdown.Markdown, top: int) -> None:
        super().__init__(md)
        self.top = top

    def run(self, root: etree.Element) -> None:
        nesting: list[int] = []  # the source levels of the headings enclosing the current one
        images = []
        for element in root.iter():
            level = _HEADINGS.get(element.tag)
            if level:
                while nesting and nesting[-1] >= level:
                    nesting.pop()
                nesting.append(level)
                element.tag = f"h{min(6, self.top + len(nesting) - 1)}"
            elif element.tag == "img":
                images.append(element)
        if images:  # most texts have none: map parents only when needed
            parents = {child: parent for parent in root.iter() for child in parent}
            for img in images:
                self._image_to_link(img, parents)

    @staticmethod
    def _image_to_link(img: etree.Element, parents: dict[etree.Element, etree.Element]) -> None:
        src, alt = img.get("src", ""), img.get("alt", "").strip()
        img.attrib.clear()
        img.text = f"Image: {alt}" if alt else "Image"
        inside_link, node = False, img
        while node in parents:
            node = parents[node]
            inside_link |= node.tag == "a"
        # A link cannot hold another link: inside one, the image is only its words.
        img.tag = "span" if inside_link else "a"
        if not inside_link:
            img.set("href", src)


class _TidyExtension(markdown.Extension):
    def __init__(self, top: int) -> None:
        super().__init__()
        self.top = top

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        # After the inline patterns (20) have made the <img> elements, before prettify (10).
        md.treeprocessors.register(_Tidy(md, self.top), "connectory-tidy", 15)


# Most bios have nothing for these two to do, and they cost a fifth of a conversion: magiclink looks
# only for "://", "www." (any case) and "@", and tilde only for "~", so a text holding none of them
# converts to the same HTML without them. Markdown deletes STX and ETX before parsing, which could
# join such a string, so a text holding either takes the full parser too.
_LEAN = [e for e in EXTENSIONS if e not in ("pymdownx.magiclink", "pymdownx.tilde")]
_TRIGGERS = ("://", "@", "~", "\x02", "\x03")

# The same holds for Python-Markdown's own inline patterns: each runs over every piece of text, and
# most find nothing to do in a bio. Each looks for a literal character, and the text it reads is made
# of the source's characters (Markdown's clean-up only turns tabs into spaces and "\r" into "\n";
# its placeholders hold letters, digits and ":"), so one that needs a character the source lacks is
# left out of the parser for that text. A text holding STX or ETX keeps them all (see above).
_PATTERN_NEEDS = {
    "backtick": ("`",), "escape": ("\\",),
    "reference": ("[",), "link": ("[",), "short_reference": ("[",),
    "image_link": ("![",), "image_reference": ("![",), "short_image_ref": ("![",),
    "autolink": ("<",), "automail": ("<",), "html": ("<",), "entity": ("&",),
    "linebreak": ("  ", "\t"),  # two spaces before a line's end; a tab becomes spaces
    "em_strong": ("*", "_"),
    "magic-mail": ("@",), "delimiter": ("~",),  # magiclink's and tilde's, when the text needs the other
}


def needs_full_parser(text: str) -> bool:
    """Whether the lean parser (without magiclink and tilde) could convert the text differently."""
    return any(t in text for t in _TRIGGERS) or "www." in text.lower()


def idle_patterns(text: str) -> frozenset[str]:
    """The inline patterns that cannot match anything in the text (_PATTERN_NEEDS)."""
    if "\x02" in text or "\x03" in text:
        return frozenset()
    return frozenset(name for name, needs in _PATTERN_NEEDS.items() if not any(n in text for n in needs))


def parser(extensions: list[str], top: int, without: frozenset[str] = frozenset()) -> markdown.Markdown:
    """Python-Markdown with these of our extensions, and headings starting at <h{top}>; `without`
    names inline patterns to leave out."""
    md = markdown.Markdown(extensions=[*extensions, _TidyExtension(top)], output_format="html",
                           extension_configs={k: v for k, v in EXTENSION_CONFIGS.items() if k in extensions})
    for name in without:
        if name in md.inlinePatterns:
            md.inlinePatterns.deregister(name)
    return md


def converter(top: int = 3) -> Callable[[str], str]:
    """A Markdown-to-safe-HTML function whose headings start at <h{top}>, reusing its parsers.

    Setting up Python-Markdown with its extensions costs more than converting a bio, so a build
    makes one converter per process; it keeps a parser for each kind of text it has met (the
    extensions and inline patterns the text can use) and resets it between texts.
    """
    parsers: dict[tuple[bool, frozenset[str]], markdown.Markdown] = {}

    def convert(text: str) -> str:
        kind = (needs_full_parser(text), idle_patterns(text))
        md = parsers.get(kind)
        if md is None:
            md = parsers[kind] = parser(EXTENSIONS if kind[0] else _LEAN, top, kind[1])
        md.reset()
        return sanitise(md.convert(text), lowest_heading=top)

    return convert


def to_html(text: str, *, top: int = 3) -> str:
    """Markdown to sanitised HTML whose headings start at <h{top}> (bios sit under an <h2>, so 3)."""
    return converter(top)(text)


def sanitise(html: str, *, lowest_heading: int = 3) -> str:
    """Keep only the allowlisted tags and attributes; headings above `lowest_heading` lose their tag."""
    headings = {f"h{n}" for n in range(max(1, lowest_heading), 7)}
    clean = nh3.clean(html, tags=_INLINE | _BLOCK | headings, clean_content_tags=_DROP_WITH_CONTENT,
                      attributes=_ATTRIBUTES, attribute_filter=_attribute_filter, url_schemes=URL_SCHEMES,
                      link_rel=LINK_REL, strip_comments=True)
    return _ANCHOR.sub(_drop_rel_without_href, clean)


def _drop_rel_without_href(match: re.Match[str]) -> str:
    """A link whose URL was refused is plain text in an <a>; HTML forbids rel on such an <a>."""
    attrs = match.group(1)
    return match.group(0) if ' href="' in attrs else "<a" + attrs.replace(f' rel="{LINK_REL}"', "") + ">"
