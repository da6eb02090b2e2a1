"""What the preview server adds to the HTML it sends: the reload script and the error overlay.

Pure functions over bytes. Nothing here is ever written to disk: `connectory build` output
stays free of preview code because only the server calls these, on the way out.

The script and the overlay's styles are served as files under /__connectory/ rather than
inlined, so a theme's Content-Security-Policy (`script-src 'self'`) still lets them run, and
the overlay stays readable as plain HTML even when its stylesheet cannot load.
"""

from __future__ import annotations

import re
from html import escape
from typing import Sequence

from .errors import Problem

PREFIX = "/__connectory/"
EVENTS_PATH = PREFIX + "events"
SCRIPT_PATH = PREFIX + "reload.js"
STYLE_PATH = PREFIX + "overlay.css"

# The page passes the token of the build it came from; the server answers "reload" as soon as
# the current token differs. A rebuild that lands between the page loading and the
# EventSource connecting is therefore never missed, and neither is a server restart.
RELOAD_JS = """\
(() => {
  "use strict";
  const script = document.currentScript;
  const token = script ? script.dataset.token : "";
  const events = new EventSource("%s?token=" + encodeURIComponent(token));
  events.addEventListener("reload", () => {
    events.close();
    window.location.reload();
  });
})();
""" % EVENTS_PATH

OVERLAY_CSS = """\
#connectory-overlay {
  position: fixed; inset: 0 0 auto 0; z-index: 2147483647; max-height: 70vh; overflow: auto;
  margin: 0; padding: 1rem 1.5rem; box-sizing: border-box;
  background: #fff4f4; color: #1a1a1a; border-bottom: 4px solid #b00020;
  font: 16px/1.5 system-ui, sans-serif; box-shadow: 0 4px 24px rgb(0 0 0 / 30%);
}
#connectory-overlay summary { cursor: pointer; }
#connectory-overlay h2 { display: inline; margin: 0; font-size: 1.15rem; color: #8a0016; }
#connectory-overlay ol { margin: 0.5rem 0 0; padding-left: 1.5rem; }
#connectory-overlay li { margin: 0.35rem 0; }
#connectory-overlay code { font: 0.95em ui-monospace, monospace; background: #ffe1e1; padding: 0 0.2em; }
#connectory-overlay .hint { display: block; color: #444; }
"""


def reload_tag(token: str) -> str:
    """The script element that connects the page to the server's reload events."""
    return f'<script src="{SCRIPT_PATH}" data-token="{escape(token)}" defer></script>'


def _problem_item(p: Problem) -> str:
    where = p.file or "the site"
    if p.line:
        where += f":{p.line}" + (f":{p.column}" if p.column else "")
    field = f" field <code>{escape(p.field)}</code>" if p.field else ""
    hint = f'<span class="hint">hint: {escape(p.hint)}</span>' if p.hint else ""
    return (f"<li><code>{escape(where)}</code>{field} ({escape(p.severity)}): "
            f"{escape(p.message)}{hint}</li>")


def overlay_html(problems: Sequence[Problem]) -> str:
    """A panel listing every problem with file, line and field; all text escaped.

    role="alert" makes screen readers announce it; <details open> lets a reader fold it away
    to look at the last good page without any script.
    """
    errors = sum(p.severity == "error" for p in problems)
    title = f"The check failed: {errors} error{'s' * (errors != 1)}"
    items = "\n".join(_problem_item(p) for p in problems)
    return (f'<link rel="stylesheet" href="{STYLE_PATH}">'
            f'<section id="connectory-overlay" role="alert" aria-labelledby="connectory-overlay-title">'
            f'<details open><summary><h2 id="connectory-overlay-title">{escape(title)}</h2></summary>'
            f"<p>You are seeing the last good build. Fix the files below and save: "
            f"this page reloads by itself.</p>\n<ol>\n{items}\n</ol></details></section>")


_BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def inject(html: bytes, token: str, problems: Sequence[Problem] = ()) -> bytes:
    """The page with the reload script before </body> and, when problems, the overlay first in <body>."""
    tag = reload_tag(token).encode()
    end = html.lower().rfind(b"</body>")
    html = html + tag if end < 0 else html[:end] + tag + html[end:]
    if problems:
        panel = overlay_html(problems).encode()
        start = _BODY_OPEN.search(html)
        at = start.end() if start else 0
        html = html[:at] + panel + html[at:]
    return html


def placeholder_page() -> bytes:
    """The page served for every HTML request before any build has passed the check (the overlay
    is added like on any page)."""
    return (b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            b'<meta name="viewport" content="width=device-width, initial-scale=1">'
            b"<title>Connectory preview: nothing built yet</title></head><body>"
            b"<main><h1>Nothing built yet</h1><p>The site appears here once the check passes.</p>"
            b"</main></body></html>")
