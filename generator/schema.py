"""The published JSON Schema is the one definition of a valid profile; this turns its verdicts
into problems a member can act on, each on the line of the offending key or item."""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from importlib.resources import files
from typing import Any, Iterator

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

try:  # a compiled (Rust) validator answers "valid?" about 150 times faster, for 100k-member builds
    import jsonschema_rs
except ImportError:  # pragma: no cover - without it the full validator gives the same answers, slower
    jsonschema_rs = None

from .content import Document, dotted, joined_text
from .errors import Problem


@cache
def schema_text(name: str = "profile") -> str:
    """A schema file as shipped inside the package; the profile's is also published at /schema/profile.json."""
    return files("generator").joinpath(f"{name}.schema.json").read_text(encoding="utf-8")


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_text(name)))


@cache
def _compiled(name: str) -> Any:
    return None if jsonschema_rs is None else jsonschema_rs.Draft202012Validator(json.loads(schema_text(name)))


# Characters whose reading by `\s` differs between Python's regular expressions and the
# compiled validator's (U+001C-U+001F, U+0085): a document holding a control character always
# goes to the full validator, whose verdict is the one that counts.
_DISPUTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def certainly_valid(data: Any, name: str = "profile", text: str | None = None) -> bool:
    """True when the compiled validator accepts the data and nothing in it could make the full one disagree.

    It only ever answers "no problems": every problem is still found and worded by the full
    validator, so members read the same messages whichever path ran. `text` is the data's
    joined_text when the caller has it already.
    """
    compiled = _compiled(name)
    # The newline that joins the strings is not disputed.
    if compiled is None or _DISPUTED.search(joined_text(data) if text is None else text):
        return False
    try:
        return bool(compiled.is_valid(data))
    except (ValueError, OverflowError, TypeError):  # a value JSON cannot hold (a huge integer): ask the full one
        return False


def allowed_keys() -> list[str]:
    """The top-level fields a profile may have, in the schema's order."""
    return list(json.loads(schema_text())["properties"])


_TYPE_WORDS = {"string": "text", "array": "a list", "object": "a mapping (key: value lines)",
               "boolean": "true or false", "integer": "a whole number"}
_PATTERN_WORDS = {
    "handle": ("is not a valid handle", "use lowercase letters a-z, digits and single hyphens, e.g. `ada-lovelace`"),
    "url": ("is not an http(s) URL", "write the full address, starting with https://"),
    "email": ("is not an email address", "write it as name@example.org"),
    "joined": ("is not a date", "write the date as YYYY-MM-DD, e.g. 2026-03-14"),
    "when": ("is not a year or a date", "write a year (2019), a month (2019-05) or a day (2019-05-21)"),
    "theme": ("is not a theme name", "name a folder under themes/, in lowercase letters, digits and hyphens"),
    "blank": ("is blank", "write some text, or remove the field"),
    "base_url": ("is neither an http(s) URL nor a path", "write https://host/path/ or a path such as /community/"),
    "mastodon": ("is not a Mastodon address", "write @user@server.social or the profile's https URL"),
}


_USERNAME_LINKS = ("github", "gitlab", "mastodon", "linkedin")


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, (int, float)):  # not its value: YAML reads 0123 as 83 and 12:30 as 750
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "a mapping"


def _quote_hint(value: Any, path: tuple, wanted: str = "") -> str:
    if isinstance(value, (bool, int, float)) or value is None:
        example = '- "..."' if path and isinstance(path[-1], int) else f'{path[-1] if path else "name"}: "..."'
        return f"YAML read it as {_describe(value)}; put it in quotes, e.g. `{example}`"
    if wanted == "array" and isinstance(value, str) and path:
        return f"write a list: `{path[-1]}: [{value[:40]}]`, or one `- item` per line"
    return ""


def _pattern_kind(err: ValidationError) -> str:
    pattern = err.validator_value
    path = [p for p in err.absolute_path if isinstance(p, str)]
    if pattern == r"\S":
        return "blank"
    if path == ["base_url"]:
        return "base_url"
    if "@" in pattern and "mastodon" in path:
        return "mastodon"
    if "@" in pattern:
        return "email"
    if pattern.startswith("^https?"):
        return "url"
    if pattern.startswith("^[a-z0-9]+"):
        return "theme" if path == ["theme"] else "handle"
    if "-[0-9]{2})?)?" in pattern:
        return "when"
    return "joined" if pattern.startswith("^[0-9]{4}") else "url"


def _unknown_keys(err: ValidationError) -> list[str]:
    known = set(err.schema.get("properties", {}))
    patterns = list(err.schema.get("patternProperties", {}))
    return [k for k in err.instance if k not in known and not any(re.search(p, k) for p in patterns)]


def _branch_errors(err: ValidationError) -> list[ValidationError] | None:
    """For anyOf: the errors of the one branch whose type fits the value, or None if none or several do."""
    branches: dict[int, list[ValidationError]] = {}
    for sub in err.context or []:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    fitting = [errs for errs in branches.values()
               if not any(e.validator == "type" and not e.relative_path for e in errs)]
    return fitting[0] if len(fitting) == 1 else None


def _translate(err: ValidationError, doc: Document) -> Iterator[tuple[tuple, str, str, str]]:
    """Yield (value path, code, message, hint) for one schema error."""
    path = tuple(err.absolute_path)
    kind, value = err.validator, err.instance
    if kind == "additionalProperties":
        known = list(err.schema.get("properties", {}))
        for key in _unknown_keys(err):
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6) or \
                [k for k in known if k == key.strip().casefold().replace("-", "_").replace(" ", "_")]
            if close:
                hint = f"did you mean `{close[0]}`?"
            elif err.schema.get("patternProperties"):  # links: any lowercase name may hold a URL
                hint = f"name a link in lowercase letters (website, blog, ...) or use {', '.join(known)}"
            elif key == "bio":
                hint = "the bio is not a field: write it as Markdown after the closing `---` line"
            else:
                hint = f"the fields here are: {', '.join(known)}"
            yield path + (key,), "unknown-key", f"unknown field `{key}`", hint
    elif kind == "required":
        for key in err.validator_value:
            if key not in value:
                yield path + (key,), "missing-field", f"`{dotted(path + (key,))}` is required", f"add `{key}: ...`"
    elif kind == "type":
        wanted = err.validator_value
        wanted = " or ".join(_TYPE_WORDS.get(w, w) for w in (wanted if isinstance(wanted, list) else [wanted]))
        yield (path, "wrong-type", f"must be {wanted}, not {_describe(value)}",
               _quote_hint(value, path, err.validator_value))
    elif kind in ("maxLength", "minLength"):
        bound = "at most" if kind == "maxLength" else "at least"
        yield (path, "too-long" if kind == "maxLength" else "too-short",
               f"is {len(value)} characters long; {bound} {err.validator_value} are allowed",
               "shorten it" if kind == "maxLength" else "write something, or remove the field")
    elif kind in ("maxItems", "maxProperties"):
        yield (path, "too-many", f"has {len(value)} entries; at most {err.validator_value} are allowed",
               "keep the ones that matter most")
    elif kind == "pattern":
        message, hint = _PATTERN_WORDS[_pattern_kind(err)]
        if path[:1] == ("links",) and len(path) == 2 and "://" not in value:  # `githbu: ada`
            if close := difflib.get_close_matches(str(path[1]), _USERNAME_LINKS, n=1, cutoff=0.6):
                hint = f"did you mean `{close[0]}`? Only {', '.join(_USERNAME_LINKS)} take a username"
        yield path, "bad-format", f"`{value[:80]}` {message}", hint
    elif kind == "enum":
        choices = ", ".join(map(str, err.validator_value))
        yield path, "bad-choice", f"must be one of: {choices}", f"write one of {choices}"
    elif kind in ("minimum", "maximum"):
        yield path, "out-of-range", f"{value} is not a plausible year", "write a four-digit year"
    elif kind in ("anyOf", "oneOf"):
        branch = _branch_errors(err)
        if branch is not None:
            for sub in branch:
                yield from _translate(sub, doc)
        elif isinstance(value, str):
            message, hint = _PATTERN_WORDS["url"]
            if path == ("links", "mastodon"):
                message, hint = _PATTERN_WORDS["mastodon"]
            elif path and path[0] == "links":
                message, hint = "is neither an http(s) URL nor a username", "write a username or a full https:// address"
            yield path, "bad-format", f"`{value[:80]}` {message}", hint
        else:
            shape = ("a year or a date, e.g. 2019 or 2019-05" if path[-1:] in (("since",), ("last_met",))
                     else "a handle, or a mapping with handle:" if path[:1] == ("connections",)
                     else "a topic, or a mapping with topic: and detail:" if path[:1] in (("offers",), ("asks",))
                     else "text")
            yield path, "wrong-type", f"must be {shape}, not {_describe(value)}", _quote_hint(value, path)
    else:  # a rule added to the schema later still reaches the member, in the library's words
        yield path, "invalid", err.message, ""


def schema_problems(doc: Document, name: str = "profile") -> list[Problem]:
    """Every way the document's data breaks the named schema (profile or site)."""
    if certainly_valid(doc.data, name, doc.text):
        return []
    problems: dict[str, Problem] = {}
    for err in _validator(name).iter_errors(doc.data):
        for path, code, message, hint in _translate(err, doc):
            line, col = doc.where(path)
            # One problem per field: `name: ""` is both too short and blank, but one fix mends both.
            problems.setdefault(dotted(path), Problem(doc.rel, line, col, dotted(path), code, message, hint))
    # `nmae: Ada` is one mistake: the unknown key's hint already names the missing field.
    suggested = {_sibling(p.field, m.group(1)) for p in problems.values() if p.code == "unknown-key"
                 and (m := re.fullmatch(r"did you mean `(\w+)`\?", p.hint))}
    return [p for p in problems.values() if not (p.code == "missing-field" and p.field in suggested)]


def _sibling(field: str, key: str) -> str:
    return f"{field.rsplit('.', 1)[0]}.{key}" if "." in field else key
