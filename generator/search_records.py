"""What the search index holds for each member, made from the member records instead of their pages.

Pagefind would otherwise parse every profile page (about 45 KB each, 450 MB at 10,000 members)
to find the few hundred words between `data-pagefind-body` and outside `data-pagefind-ignore`.
Those words are the member's own fields, so this module writes them directly, in the order and
with the punctuation Pagefind's HTML reader would give them (parser.rs in Pagefind 1.x): a block
element (h1-h6, p, li, div, td, section...) ends with "." when the last character of its HTML
source is a word character, a quote, `)`, `$` or `*`; headings carry Pagefind's automatic weight
markers (h1: 7, h3: 5...), so a name still ranks above a word in a bio. The result is the index
the pages gave, word for word and weight for weight: tests/test_search.py compares the two for a
community, so a template change that alters what is searchable fails there until this module
says the same. (Records also keep bios from declaring filters or metadata with stray
data-pagefind-* attributes: only this module names them.)

The bio is the one part written in Markdown. Converting it again (Python-Markdown is most of a
page's rendering time) only to drop the tags would double that cost, so `bio_text` reads the
Markdown itself: paragraphs, headings, lists, quotes, code and tables come out as Pagefind reads
their HTML; inline syntax (emphasis, links, images, code spans, raw tags) leaves its words.
Hostile raw HTML (an unclosed <script>, CDATA, Markdown inside HTML blocks) can come out a few
words different from the page: 9 of the 120 hostile test profiles do, none with more than that.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping

from .avatars import avatar_for
from .models import Member
from .render import Links, SiteInput
from .topics import filter_values


@dataclass(frozen=True)
class Record:
    """One Pagefind custom record: a member's profile as search sees it."""

    url: str  # site-relative, without the base URL's path: Pagefind's script adds it (its baseUrl option)
    content: str
    language: str
    meta: Mapping[str, str]
    filters: Mapping[str, list[str]]


def records(site: SiteInput) -> Iterator[Record]:
    """A record per member of the site, in handle order (drafts only when the build includes them)."""
    community = site.community
    language = community.config.language.lower()  # Pagefind lower-cases <html lang>
    links = Links(site.base_url)
    for m in community.members:
        avatar = links.page(avatar_for(m, site.images.get(m.handle)).path)
        yield member_record(m, language, avatar)


def member_record(m: Member, language: str, avatar_url: str) -> Record:
    """The record of one member: the profile page's searchable text, metadata and filters."""
    filters = {key: [_spaces(v) for v in values] for key, values in filter_values(m).items() if values}
    name = _spaces(m.name)  # Pagefind collapses the spaces of metadata and filters
    return Record(url=Links("/").member(m.handle), content=member_content(m), language=language,
                  meta={"name": name, "title": name, "image": avatar_url}, filters=filters)


def member_content(m: Member) -> str:
    """The text of the profile page's data-pagefind-body (themes/default/templates/member.html)."""
    parts = [_heading(m.name, 1), _block(f"@{m.handle}" + (f" · {m.pronouns}" if m.pronouns else "")
                                         + (" Draft" if m.draft else ""))]
    if m.headline:
        parts.append(_block(m.headline))
    if m.location:
        parts.append(_block(f"Location: {m.location}"))
    if m.bio.strip():
        parts.append(bio_text(m.bio))
    if m.fields or m.interests:
        parts += [_block(topic) for topic in m.fields + m.interests]
    for help_ in m.offers + m.asks:  # the topic, then its detail as a paragraph in the same item
        parts.append(f"{help_.topic} {_block(help_.detail)}" if help_.detail else _block(help_.topic))
    parts += [_block(topic) for topic in m.open_to]
    return _spaces(" ".join(parts))


# --- Pagefind's reading of HTML ---------------------------------------------------------------

_WEIGHTS = {1: 7, 2: 6, 3: 5, 4: 4, 5: 3, 6: 2}


def _sentence_end(char: str) -> bool:
    """Pagefind's SENTENCE_CHARS, [\\w'")$*], with Rust's Unicode \\w (letters, marks, digits, _)."""
    return char in "'\")$*_" or char.isalnum() or unicodedata.category(char)[0] == "M"


_ESCAPED = "&<>\"'"  # what Jinja's autoescape turns into entities
_MD_ESCAPED = "&<>"  # what Python-Markdown and the sanitiser do


def _block(text: str, escaped: str = _ESCAPED) -> str:
    """A block element's text as Pagefind ends it: a full stop unless it already ends in punctuation.

    Pagefind looks at the last character of the HTML source, before decoding entities: a value
    ending in a character the page escapes (Jinja: & < > " ', Markdown: & < >) ends in ";" there.
    """
    return f" {text}. " if text and text[-1] not in escaped and _sentence_end(text[-1]) else f" {text} "


def _heading(text: str, level: int, escaped: str = _ESCAPED) -> str:
    return f" ___PAGEFIND_AUTO_WEIGHT___{_WEIGHTS[level]} {_block(text, escaped)} ___END_PAGEFIND_WEIGHT___ "


def _spaces(text: str) -> str:
    return " ".join(text.split())


# --- Markdown to the words of its HTML ----------------------------------------------------------

_FENCE = re.compile(r"^(`{3,}|~{3,}) *(?:\{[^\n]*\}|\.?[\w#.+-]*) *$")  # fenced_code's: a plain language name
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_ITEM = re.compile(r"^( *)(?:[-*+]|\d+[.)])[ \t]+(.*)$")
_QUOTE = re.compile(r"^ {0,3}> ?")
_TABLE_RULE = re.compile(r"^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$")
_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S")
# Python-Markdown's block-level tags: a paragraph starting with one is passed through as raw HTML.
_RAW_BLOCK = re.compile(r"^ {0,3}<(address|article|aside|blockquote|body|canvas|center|colgroup|dd|details|div|dl"
                        r"|dt|fieldset|figcaption|figure|footer|form|group|h[1-6]|header|hgroup|hr|html|iframe"
                        r"|legend|li|main|map|math|menu|nav|noscript|object|ol|option|output|p|pre|progress"
                        r"|script|section|style|summary|table|tbody|td|textarea|tfoot|th|thead|tr|ul|video)\b", re.I)
_KEPT_BLOCKS = {"p", "div", "ul", "li", "td"}  # kept by the sanitiser and a block to Pagefind


def bio_text(markdown: str, top: int = 3) -> str:
    """The words Pagefind reads from a bio's HTML (markup.converter(top)), without converting it.

    Headings are renumbered into the page's outline as markup.py does (the highest becomes h{top}).
    """
    out: list[str] = []
    nesting: list[int] = []

    def heading(level: int, text: str) -> None:
        while nesting and nesting[-1] >= level:
            nesting.pop()
        nesting.append(level)
        out.append(_heading(inline(text), min(6, top + len(nesting) - 1), _MD_ESCAPED))

    _blocks(markdown.replace("\r\n", "\n").split("\n"), out, heading)
    return " ".join(out)


def _blocks(lines: list[str], out: list[str], heading: Callable[[int, str], None]) -> None:
    paragraph: list[str] = []
    items: list[tuple[int, list[str]]] = []  # list items as (indent, lines)

    def flush() -> None:
        if paragraph:
            # Python-Markdown keeps a paragraph's trailing spaces, and with them Pagefind adds no stop.
            text = inline("\n".join(paragraph).lstrip())
            raw = _RAW_BLOCK.match(paragraph[0])  # a raw HTML block has no <p> around it
            out.append(_block(text, _MD_ESCAPED) if not raw or raw.group(1).lower() in _KEPT_BLOCKS else f" {text} ")
            paragraph.clear()
        for i, (indent, item) in enumerate(items):
            nested = i + 1 < len(items) and items[i + 1][0] > indent  # an item holding a list: no stop
            text = inline("\n".join(item).lstrip())
            out.append(f" {text} " if nested else _block(text, _MD_ESCAPED))
        items.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if (fence := _FENCE.match(line)) and (end := _closing(lines, i, fence.group(1))):
            # Code: its text as it is, no full stop (<pre> is no block to Pagefind).
            flush()
            out.append(" " + "\n".join(lines[i + 1:end]) + " ")
            i = end
        elif line.startswith("    ") and not paragraph and not items and (i == 0 or not lines[i - 1].strip()):
            code = []
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                code.append(lines[i][4:])
                i += 1
            out.append(" " + "\n".join(code) + " ")
            continue
        elif not line.strip():
            if paragraph or not items or i + 1 >= len(lines) or not _ITEM.match(lines[i + 1]):
                flush()
        elif _DEFINITION.match(line) and not paragraph:
            pass  # a link reference definition shows nothing
        elif atx := _ATX.match(line):
            flush()
            heading(len(atx.group(1)), atx.group(2) or "")
        elif paragraph and len(paragraph) == 1 and not items and (setext := _SETEXT.match(line)):
            heading(1 if setext.group(1)[0] == "=" else 2, paragraph.pop())
        elif _RULE.match(line):
            flush()
        elif _QUOTE.match(line):
            flush()
            quoted = []
            while i < len(lines) and lines[i].strip() and (_QUOTE.match(lines[i]) or quoted):
                quoted.append(_QUOTE.sub("", lines[i], count=1))
                i += 1
            _blocks(quoted, out, heading)
            continue
        elif (item := _ITEM.match(line)) and (items or not paragraph):
            if paragraph:
                flush()
            items.append((len(item.group(1)), [item.group(2)]))
        elif items:
            items[-1][1].append(line)
        elif "|" in line and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]) and not paragraph:
            out.append(" " + " ".join(inline(c) for c in _cells(line)) + " ")  # <th>: no full stops
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                out.extend(_block(inline(c), _MD_ESCAPED) for c in _cells(lines[i]))  # <td> is a block to Pagefind
                i += 1
            continue
        else:
            paragraph.append(line)
        i += 1
    flush()


def _closing(lines: list[str], start: int, mark: str) -> int:
    """The line closing a code fence opened at `start`; 0 when it is never closed (then it is no fence)."""
    return next((j for j in range(start + 1, len(lines)) if lines[j].rstrip() == mark), 0)


def _cells(row: str) -> list[str]:
    row = row.strip()
    return [c.strip() for c in row.strip("|").split("|")]


_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])")
_URL = r"\((?:[^()]|\([^()]*\))*\)"  # a link's (url "title"), which may hold one level of brackets
_IMAGE = re.compile(r"!\[([^\]]*)\](?:" + _URL + r"|\[[^\]]*\])")
_LINK = re.compile(r"\[([^\]]*)\](?:" + _URL + r"|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+|[^@<>\s]+@[^@<>\s]+)>")
_DROPPED = re.compile(r"<(script|style|template|textarea|title|noscript|select|iframe|object|embed|svg|math"
                      r"|frame|frameset|noembed|xmp)\b.*?</\1\s*>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~", re.S)
_STRONG = re.compile(r"(\*\*|(?<!\w)__)(?=\S)(.+?)(?<=\S)\1", re.S)
_EM = re.compile(r"(\*|(?<!\w)_)(?=[^\s*_])(.+?)(?<=[^\s])\1(?!\w)|(\*)(?=\S)(.+?)(?<=\S)\*", re.S)


def inline(text: str) -> str:
    """The words of Markdown inline text, as the page shows them (entities decoded, tags gone)."""
    pieces = _CODE_SPAN.split(text)
    # split() with two groups yields: text, fence, code, text, fence, code, ...
    words = [_inline_words(pieces[0])]
    for k in range(1, len(pieces), 3):
        words.append(pieces[k + 1].strip())
        words.append(_inline_words(pieces[k + 2]))
    return "".join(words)


def _inline_words(text: str) -> str:
    # Each pattern runs only where its opening character occurs: most text has none of them.
    escaped: list[str] = []

    def keep(match: re.Match[str]) -> str:
        escaped.append(match.group(1))
        return f"\uE000{len(escaped) - 1}\uE001"

    if "\\" in text:
        text = _ESCAPE.sub(keep, text)
    if "[" in text:
        text = _IMAGE.sub(lambda m: f"Image: {m.group(1).strip()}" if m.group(1).strip() else "Image", text)
        text = _LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
        text = _TAG.sub("", _DROPPED.sub("", _COMMENT.sub("", text)))
    for _ in range(2):  # emphasis nests: ***both*** or **a *b* c**
        before = text
        if "~~" in text:
            text = _STRIKE.sub(r"\1", text)
        if "*" in text or "_" in text:
            text = _STRONG.sub(r"\2", text)
            text = _EM.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(4), text)
        if text == before:
            break
    if "&" in text:
        text = html.unescape(text)
    if escaped:
        text = re.sub("\uE000(\\d+)\uE001", lambda m: escaped[int(m.group(1))], text)
    return text
