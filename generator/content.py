"""Find community files, split front matter from body, and parse YAML with line marks.

Parsing goes through PyYAML's event stream (the C parser when present) and builds plain
values with an explicit stack: no recursion, so deep nesting cannot overflow anything, and
anchors, aliases, tags and duplicate keys are seen and refused with their line.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

try:  # the C parser is several times faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Caps that keep one hostile file from costing more than a normal community does.
MAX_FILE_BYTES = 256 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_DEPTH = 12
MAX_SCALAR_CHARS = 10_000

Path_ = tuple[str | int, ...]
Marks = dict[Path_, tuple[int, int]]


@dataclass(frozen=True)
class Document:
    """A file's front matter (as plain data, with the line of every key and item) and its body."""

    rel: str  # path relative to the community folder, forward slashes
    data: dict[str, Any] | None  # None when the front matter could not be read
    marks: Marks = field(default_factory=dict)  # value path -> (line, column) of its key or item
    body: str = ""
    body_line: int = 1
    problems: tuple[Problem, ...] = ()

    @functools.cached_property
    def text(self) -> str:
        """Every string of the front matter, one per line (joined_text): made once for the checks that search it."""
        return joined_text(self.data)

    def where(self, path: Path_) -> tuple[int, int]:
        """The line and column for a value path, falling back to the nearest parent's."""
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (1, 1))


def dotted(path: Path_) -> str:
    """A value path as members write it: connections.2.handle (items counted from 1)."""
    return ".".join(str(p + 1) if isinstance(p, int) else p for p in path)


def joined_text(value: Any) -> str:
    """Every string in parsed front matter, keys included, one per line.

    One regular-expression search of this tells whether any of them holds a character outside a
    set that excludes the newline, where a search per string costs a call for each of hundreds.
    """
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack += item
            stack += item.values()
        elif isinstance(item, list):
            stack += item
    return "\n".join(found)


def read_text(path: Path, rel: str, cap: int = MAX_FILE_BYTES) -> tuple[str | None, list[Problem]]:
    """Read a text file as UTF-8, accepting a BOM and CRLF; refuse oversize, NUL, UTF-16, bad bytes."""

    def problem(code: str, message: str, hint: str, line: int = 1) -> tuple[None, list[Problem]]:
        return None, [Problem(rel, line, 1, "", code, message, hint)]

    try:
        with path.open("rb") as fh:
            raw = fh.read(cap + 1)
    except OSError as exc:
        return problem("unreadable", f"cannot read the file: {exc.strerror or exc}", "check its permissions")
    if len(raw) > cap:
        return problem("file-too-large", f"the file is larger than {cap // 1024} KiB",
                       "shorten the bio; a profile is a page, not a book")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return problem("bad-encoding", "the file is saved as UTF-16", "save it as UTF-8")
    nul = raw.find(b"\x00")
    if nul >= 0:
        return problem("nul-byte", "the file contains a NUL byte (it looks binary)",
                       "save it as plain UTF-8 text", raw.count(b"\n", 0, nul) + 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return problem("bad-encoding", f"byte {exc.start + 1} is not valid UTF-8",
                       "save the file as UTF-8", raw.count(b"\n", 0, exc.start) + 1)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, []


_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(---|\.\.\.)[ \t]*$")


def split_front_matter(text: str, rel: str) -> tuple[str | None, str, int, list[Problem]]:
    """Split `---` front matter from the body: (yaml, body, line where the body starts, problems)."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        hint = ("the `---` must be the very first line: remove the blank lines or spaces before it"
                if text.lstrip().startswith("---") else
                "add a line `---` before the first field and another after the last one"
                if re.search(r"^[a-z_]+:", text, re.M) else
                "start the file with `---`, the fields (name: ...), then `---` and the bio")
        return None, text, 1, [Problem(rel, 1, 1, "", "no-front-matter",
                                       "the profile does not start with a `---` line", hint)]
    for i in range(1, len(lines)):
        if _END.match(lines[i]):
            return "\n".join(lines[1:i]) + "\n", "\n".join(lines[i + 1:]), i + 2, []
    return None, "", 1, [Problem(rel, 1, 1, "", "unclosed-front-matter",
                                 "the front matter is never closed",
                                 "did you forget the closing `---` line after the last field?")]


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"


_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAPPING_START, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_DOCUMENT_START, _STREAM_END = yaml.DocumentStartEvent, yaml.StreamEndEvent


@functools.lru_cache(maxsize=65536)  # topics, handles, years and booleans recur across a community's files
def _plain(value: str) -> Any:
    """A plain (unquoted) scalar resolved the way YAML 1.1 does, except that dates stay as written."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    if tag in (_STR, "tag:yaml.org,2002:timestamp"):
        return value
    # Straight to the tag's constructor (its result is immutable, so caching it is safe):
    # construct_object would also remember every node it ever built, for the life of the process.
    construct = _CONSTRUCTOR.yaml_constructors.get(tag, _CONSTRUCTOR.yaml_constructors[None])
    return construct(_CONSTRUCTOR, yaml.ScalarNode(tag, value))


# Characters outside YAML's printable set: PyYAML refuses them with a position that is
# sometimes in bytes and sometimes in characters, so find them first and name the line.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _unprintable(text: str, rel: str, first_line: int) -> Problem | None:
    found = _UNPRINTABLE.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start())
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return Problem(rel, line + first_line, column, "", "control-character",
                   f"the front matter contains the invisible control character U+{ord(found.group()):04X}",
                   "delete it (it often comes from copying text out of a PDF or a terminal)")


def _syntax_hint(text: str, line: int) -> str:
    """Tabs are the commonest YAML mistake and PyYAML's message does not name them."""
    lines = text.split("\n")
    if 0 <= line < len(lines) and "\t" in lines[line]:
        return "replace the tab with spaces: YAML indents with spaces only"
    return "check the indentation and quote values that contain `: ` or start with a symbol"


class _Refused(Exception):
    def __init__(self, code: str, message: str, hint: str, mark: Any) -> None:
        super().__init__(message)
        self.code, self.message, self.hint, self.mark = code, message, hint, mark


def parse_yaml(text: str, rel: str, first_line: int = 1) -> tuple[Any, Marks, list[Problem]]:
    """Parse one YAML document into plain values with marks; problems instead of exceptions."""
    marks: Marks = {}
    problems: list[Problem] = []
    stack: list[list[Any]] = []  # frames: [container, path, pending key or None, is a mapping]
    root: Any = None

    def pos(mark: Any) -> tuple[int, int]:
        return mark.line + first_line, mark.column + 1

    def here() -> Path_:
        """The value path the parser is at: what a refused value would have been."""
        if not stack:
            return ()
        container, path, key, _ = stack[-1]
        if isinstance(container, list):
            return path + (len(container),)
        return path + (key,) if key is not None else path

    def duplicate(key: str, path: Path_, mark: Any) -> None:
        problems.append(Problem(rel, *pos(mark), dotted(path), "duplicate-key",
                                f"`{key}` is given twice (first on line {marks[path][0]})",
                                "keep one of them: YAML would silently use the last"))

    def place(value: Any, mark: Any) -> Path_:
        nonlocal root
        if not stack:
            root = value
            marks[()] = pos(mark)
            return ()
        frame = stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            child = path + (len(container),)
            container.append(value)
            marks[child] = pos(mark)
            return child
        if frame[2] is None:  # this value is a key
            if not isinstance(value, str):
                raise _Refused("complex-key", "a key must be a plain word", "write `key: value`", mark)
            if value in container:
                duplicate(value, path + (value,), mark)
            frame[2] = value
            marks.setdefault(path + (value,), pos(mark))
            return path + (value,)
        key, frame[2] = frame[2], None
        container[key] = value
        return path + (key,)

    if unprintable := _unprintable(text, rel, first_line):
        return None, marks, [unprintable]
    # Events straight from the parser (yaml.parse would add a generator step to each), told
    # apart by exact type; a scalar, most of the events, is placed inline. What each event may
    # be is checked in the same order as the rules read, so the first refusal is the same.
    loader = None
    try:
        loader = _Loader(text)
        documents = 0
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind is _SCALAR:
                if event.anchor is not None:
                    raise _Refused("yaml-anchor", "YAML anchors (`&name`) are not allowed",
                                   "remove the `&` anchor and write values out in full", event.start_mark)
                if event.tag is not None and event.tag != "!":
                    raise _Refused("yaml-tag", f"YAML tags such as `{event.tag}` are not allowed",
                                   "remove the `!` tag; write plain text, lists and mappings", event.start_mark)
                text_value = event.value
                if len(text_value) > MAX_SCALAR_CHARS:
                    raise _Refused("value-too-long", f"a value is longer than {MAX_SCALAR_CHARS} characters",
                                   "shorten it", event.start_mark)
                frame = stack[-1] if stack else None
                if frame is not None and frame[3] and frame[2] is None:  # a key: always text
                    key_path = frame[1] + (text_value,)
                    if text_value in frame[0]:
                        duplicate(text_value, key_path, event.start_mark)
                    elif key_path not in marks:
                        mark = event.start_mark
                        marks[key_path] = (mark.line + first_line, mark.column + 1)
                    frame[2] = text_value
                    continue
                try:
                    value = _plain(text_value) if event.implicit[0] else text_value
                except (ValueError, OverflowError, yaml.YAMLError):
                    raise _Refused("bad-value", f"`{text_value[:40]}` cannot be read as a value",
                                   "put it in quotes to keep it as text", event.start_mark) from None
                if frame is None:
                    place(value, event.start_mark)
                elif frame[3]:  # the value of the pending key
                    frame[0][frame[2]] = value
                    frame[2] = None
                else:  # an item
                    items = frame[0]
                    mark = event.start_mark
                    marks[frame[1] + (len(items),)] = (mark.line + first_line, mark.column + 1)
                    items.append(value)
            elif kind is _MAPPING_END or kind is _SEQUENCE_END:
                stack.pop()
            elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                if event.anchor is not None:
                    raise _Refused("yaml-anchor", "YAML anchors (`&name`) are not allowed",
                                   "remove the `&` anchor and write values out in full", event.start_mark)
                if event.tag is not None:
                    raise _Refused("yaml-tag", f"YAML tags such as `{event.tag}` are not allowed",
                                   "remove the `!` tag; write plain text, lists and mappings", event.start_mark)
                if len(stack) >= MAX_DEPTH:
                    raise _Refused("too-deep", f"values are nested more than {MAX_DEPTH} levels deep",
                                   "a profile needs at most three levels: field, list, item", event.start_mark)
                mapping = kind is _MAPPING_START
                container: Any = {} if mapping else []
                path = place(container, event.start_mark)
                stack.append([container, path, None, mapping])
            elif kind is _ALIAS:
                raise _Refused("yaml-alias", "YAML aliases (`*name`) are not allowed",
                               "write the value out in full", event.start_mark)
            elif kind is _DOCUMENT_START:
                documents += 1
                if documents > 1:
                    raise _Refused("several-documents", "the front matter holds more than one YAML document",
                                   "remove the extra `---` line", event.start_mark)
            elif kind is _STREAM_END:
                break
    except _Refused as refused:
        problems.append(Problem(rel, *pos(refused.mark), dotted(here()), refused.code, refused.message,
                                refused.hint))
        return None, marks, problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = pos(mark) if mark else (first_line, 1)
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        if "nesting depth" in what:  # libyaml's own cap (1,000 levels) met before ours: say the same
            problems.append(Problem(rel, line, col, "", "too-deep", f"values are nested more than {MAX_DEPTH} "
                                    "levels deep", "a profile needs at most three levels: field, list, item"))
        else:
            problems.append(Problem(rel, line, col, "", "yaml-syntax", f"YAML syntax: {what}",
                                    _syntax_hint(text, line - first_line)))
        return None, marks, problems
    except (yaml.YAMLError, ValueError, RecursionError, MemoryError) as exc:
        problems.append(Problem(rel, first_line, 1, "", "yaml-syntax", f"the YAML cannot be read: {exc}",
                                "simplify the front matter: plain fields, lists and mappings"))
        return None, marks, problems
    finally:
        if loader is not None:
            loader.dispose()
    return root, marks, problems


def load_document(path: Path, rel: str) -> Document:
    """Read and parse one profile-like Markdown file; every problem is collected, none raised."""
    text, problems = read_text(path, rel)
    if text is None:
        return Document(rel, None, problems=tuple(problems))
    front, body, body_line, problems = split_front_matter(text, rel)
    if front is None:
        return Document(rel, None, body=body, body_line=body_line, problems=tuple(problems))
    if len(front.encode()) > MAX_FRONT_MATTER_BYTES:
        return Document(rel, None, problems=(Problem(
            rel, 2, 1, "", "front-matter-too-large",
            f"the front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB",
            "keep fields short; long text belongs in the bio"),))
    data, marks, problems = parse_yaml(front, rel, first_line=2)
    if data is None and not problems:
        problems = [Problem(rel, 2, 1, "", "empty-front-matter", "the front matter is empty",
                            "add at least `name: Your Name` between the `---` lines")]
    elif data is not None and not isinstance(data, dict):
        problems.append(Problem(rel, 2, 1, "", "not-a-mapping", "the front matter must be fields (`key: value`)",
                                "write one field per line, like `name: Ada Lovelace`"))
        data = None
    return Document(rel, data, marks, body, body_line, tuple(problems))


def member_files(source: Path) -> list[Path]:
    """Every profile file of the community, in a stable order."""
    folder = source / "content" / "members"
    return sorted(p for p in folder.glob("*.md") if p.is_file()) if folder.is_dir() else []


def stray_member_files(source: Path) -> list[Path]:
    """Files in content/members/ that are not read as profiles (ada.MD, ada.yaml, ada.md.txt)."""
    folder = source / "content" / "members"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix != ".md" and not p.name.startswith("."))


def page_files(source: Path) -> list[Path]:
    """Every extra page of the community (content/pages/*.md), in a stable order."""
    folder = source / "content" / "pages"
    return sorted(p for p in folder.glob("*.md") if p.is_file()) if folder.is_dir() else []


def relative(path: Path, source: Path) -> str:
    """A path as reports show it: relative to the community folder when inside it."""
    # abspath, not resolve: a symbolic link is reported under its own name, not its target's.
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(source)).as_posix()
    except ValueError:
        return path.as_posix()
