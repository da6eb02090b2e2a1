"""The search index: Pagefind over the member pages of a built site, written into its pagefind/ folder.

Only profile pages carry `data-pagefind-body`, so Pagefind indexes them alone; their templates
mark the searchable text, the filters (field, interest, offers, asks, location, open_to) and
the metadata. The build runs this on the new folder before it is swapped in, so the index is
part of the same atomic swap as the pages it describes.

Pagefind's pages, words and fragments come out the same from the same input, but its filter
files list values in hash-map order, which changes from run to run (and with it the names of
those files and of the language's metadata file). `canonicalise()` sorts them and renames by
content, so two builds of one community are byte-identical, index included.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip
import hashlib
import json
import os
from pathlib import Path
from typing import Any, Coroutine, TypeVar

import cbor2
from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import get_executable

from .errors import ConnectoryError

INDEX_FOLDER = "pagefind"
# The only pages that carry data-pagefind-body. Naming them spares Pagefind reading every other
# page (introductions lists, topics) just to find nothing to index: at 10,000 members that is
# 2.5 times less work and half the memory, for the same index.
PROFILE_PAGES = "members/*/index.html"

T = TypeVar("T")


def pagefind_binary() -> Path:
    """The Pagefind binary the Python package would run, or a clear error when there is none."""
    binary = get_executable()
    if binary is None or not binary.is_file() or not os.access(binary, os.X_OK):
        where = f" (looked for {binary})" if binary else ""
        raise ConnectoryError(f"Pagefind, which builds the search index, is not installed{where}. "
                              "Install it with `pip install 'pagefind[bin]'`, or point PAGEFIND_BINARY_PATH "
                              "at a pagefind binary.")
    return binary


async def _index(site: Path, config: IndexConfig) -> int:
    async with PagefindIndex(config=config) as index:
        added = await index.add_directory(str(site), glob=PROFILE_PAGES)
        # The context manager writes the files when the block ends without an error.
    return int(added.get("page_count", 0))


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end from synchronous code, whether or not this thread runs an event loop.

    asyncio.run() refuses to start inside a running loop (Jupyter, an async caller, Playwright's
    sync API); the coroutine then gets a loop of its own in a worker thread, and this thread waits.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


def index_site(site: Path, *, language: str | None = None) -> int:
    """Index the HTML under `site` into site/pagefind/; returns the number of pages indexed."""
    pagefind_binary()
    config: IndexConfig = {"output_path": str(site / INDEX_FOLDER)}
    if language:
        config["force_language"] = language
    try:
        pages = run_coroutine(_index(site.absolute(), config))
    except ConnectoryError:
        raise
    except Exception as exc:  # the service reports its failures as bare Exceptions
        raise ConnectoryError(f"Pagefind could not build the search index: {exc}") from exc
    canonicalise(site / INDEX_FOLDER)
    return pages


_SIGNATURE = b"pagefind_dcd"


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind data file")
    return cbor2.loads(data[len(_SIGNATURE):])


def _pack(value: Any) -> bytes:
    # mtime=0: the gzip header carries no clock; Pagefind's loader accepts any gzip stream.
    return gzip.compress(_SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _name(language: str, data: bytes, length: int) -> str:
    return f"{language}_{hashlib.sha256(data).hexdigest()[:length]}"


def canonicalise(bundle: Path) -> None:
    """Sort each filter file's values and name the filter and metadata files by their new content.

    Written against Pagefind 1.x's layout (pagefind-entry.json -> pagefind.<hash>.pf_meta, whose
    fourth item lists [filter, hash] pairs -> filter/<hash>.pf_filter holding [filter, [[value, pages]]]).
    A bundle of any other shape is left exactly as Pagefind wrote it: search keeps working, only
    byte-identical builds are lost.
    """
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        plans = []
        for language, info in sorted(entry["languages"].items()):
            meta = _read(bundle / f"pagefind.{info['hash']}.pf_meta")
            filters = meta[3]
            files = {name: _read(bundle / "filter" / f"{hashed}.pf_filter") for name, hashed in filters}
            if not all(isinstance(f, list) and len(f) == 2 and isinstance(f[1], list) for f in files.values()):
                return
            plans.append((language, info, meta, filters, files))
    except (OSError, ValueError, KeyError, IndexError, TypeError, cbor2.CBORDecodeError):
        return
    for language, info, meta, filters, files in plans:
        renamed = []
        for name, hashed in sorted(filters):
            content = [files[name][0], sorted(files[name][1], key=lambda pair: str(pair[0]))]
            packed = _pack(content)
            new = _name(language, packed, 7)
            (bundle / "filter" / f"{hashed}.pf_filter").unlink()
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(packed)
            renamed.append([name, new])
        meta[3] = renamed
        packed = _pack(meta)
        new_meta = _name(language, packed, 10)
        (bundle / f"pagefind.{info['hash']}.pf_meta").unlink()
        (bundle / f"pagefind.{new_meta}.pf_meta").write_bytes(packed)
        info["hash"] = new_meta
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
