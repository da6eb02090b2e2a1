"""The search index: Pagefind, written into the new site's pagefind/ folder before it is swapped in.

A build indexes the member records (search_records.py: each profile's searchable text, filters
and metadata, as Pagefind would read them from the page) through Pagefind's service API, on a
thread of its own that starts once the community is loaded: Pagefind (one core) indexes and
writes the bundle into a folder beside the output while the pages render on the others, and
the writer's `finish` step only moves that folder into the new site. A failure in Pagefind
fails the build like any other, the previous site stays, and the Pagefind process never
outlives the build (`BackgroundIndex.close`).

`index_site` indexes the profile pages of a folder already written (the preview server's
search, serve_search.py): only they carry `data-pagefind-body`.

Pagefind's pages, words and fragments come out the same from the same input, but its filter
files list values in hash-map order, which changes from run to run (and with it the names of
those files and of the language's metadata file). `canonicalise()` sorts them and renames by
content, so two builds of one community are byte-identical, index included.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import gzip
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Coroutine, Iterable, Mapping, TypeVar

import cbor2
import psutil
from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import PagefindService, get_executable

from .errors import ConnectoryError

if TYPE_CHECKING:  # the preview's indexer process (serve_search.py) needs none of the rendering code
    from .search_records import Record

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


class _Service(PagefindService):
    """The Pagefind package's service, reading its answers as they come.

    The package (1.5) sleeps 0.1 s before reading each answer from Pagefind, so every request
    costs at least that: 1,000 s for 10,000 records, which is why it is not used as it is.
    This reads the next answer as soon as it is there, and when Pagefind stops (it crashed,
    ran out of memory or was killed) fails every request still waiting instead of leaving it
    waiting for ever.
    """

    _stopped: ConnectoryError | None = None

    async def send(self, payload: Any) -> Any:
        if self._stopped is not None:  # no answer would ever come
            raise self._stopped
        return await super().send(payload)

    async def _wait_for_responses(self) -> None:
        stdout = self._backend.stdout
        assert stdout is not None
        try:
            while True:
                answer = json.loads(base64.b64decode((await stdout.readuntil(b","))[:-1]))
                if answer is None:
                    continue
                waiting = self._responses.pop(answer.get("message_id"), None)
                payload = answer["payload"]
                if waiting is None or waiting.done():
                    continue
                if payload.get("type") == "Error":
                    waiting.set_exception(ConnectoryError(f"Pagefind: {payload.get('message', payload)}"))
                else:
                    waiting.set_result(payload)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, KeyError) as exc:
            stopped = self._stopped = ConnectoryError(f"Pagefind stopped unexpectedly ({type(exc).__name__})")
            for waiting in self._responses.values():
                if not waiting.done():
                    waiting.set_exception(stopped)
            self._responses.clear()

    async def written(self, folder: Path) -> None:
        """Wait until Pagefind's writes into `folder` are on disk (see `wait_for_writes`)."""
        await asyncio.to_thread(wait_for_writes, self._backend.pid, folder)

    async def stop(self) -> None:
        """End Pagefind now, whatever it is doing, and wait for it to be gone."""
        self._poll_task.cancel()
        if self._backend.returncode is None:
            try:
                self._backend.kill()
            except ProcessLookupError:
                pass
        try:  # bounded: a process that somehow keeps the pipes open must not hold the build
            await asyncio.wait_for(self._backend.wait(), STOP_SECONDS)
        except asyncio.TimeoutError:
            pass


def wait_for_writes(pid: int, folder: Path, timeout: float | None = None) -> None:
    """Wait until process `pid` (and any process it started) has no file under `folder` open.

    Pagefind answers `write_files` once each file is created and its bytes are handed to a
    writer thread, not once they are written; the last piece of a file is written (and the file
    closed) a moment later. Ending Pagefind before that, as stopping it or closing its input
    (it then exits at once) both do, leaves files cut short: a 128 KiB pagefind-component-ui.js,
    an empty pagefind-entry.json, seen with two builds at once on two cores. A file still open
    is a file still being written, so the bundle is complete once none is. (psutil lists a
    process's open files exactly on Linux and macOS; on Windows it may miss some.)
    """
    timeout = WRITES_SECONDS if timeout is None else timeout
    inside = os.path.realpath(folder) + os.sep
    deadline = time.monotonic() + timeout
    try:
        process = psutil.Process(pid)
        while True:
            writing = [f.path for p in [process, *process.children(recursive=True)] for f in _open_files(p)
                       if f.path.startswith(inside)]
            if not writing:
                return
            if time.monotonic() > deadline:
                raise ConnectoryError(f"Pagefind did not finish writing the search index within {timeout:g} s "
                                      f"({len(writing)} files still open, such as {writing[0]})")
            time.sleep(0.005)
    except psutil.NoSuchProcess:
        return  # ended: nothing of it is still writing
    except psutil.AccessDenied as exc:
        raise ConnectoryError("cannot see whether Pagefind has finished writing the search index: this system "
                              f"does not let Connectory list the files Pagefind has open ({exc})") from exc


def _open_files(process: psutil.Process) -> list[Any]:
    try:
        return process.open_files()
    except psutil.NoSuchProcess:
        return []


async def _write(service: _Service, index: PagefindIndex, bundle: Path) -> None:
    """Have Pagefind write the index into `bundle`, and wait until its writes are on disk."""
    await index.write_files(output_path=str(bundle))
    await service.written(bundle)


async def _index(site: Path, config: IndexConfig) -> int:
    service = await _Service().launch()
    try:
        index = await service.create_index(config)
        added = await index.add_directory(str(site), glob=PROFILE_PAGES)
        await _write(service, index, Path(config["output_path"]))
    finally:
        await service.stop()
    return int(added.get("page_count", 0))


STOP_SECONDS = 10
WRITES_SECONDS = 300  # for the writes still in flight when Pagefind answers: far less even at 100,000 pages
WINDOW = 64  # records sent ahead of Pagefind's answers: the pipe stays full, memory stays small


class BackgroundIndex:
    """Pagefind indexing records on a thread of its own, its bundle staged in a folder beside the site.

    start() returns at once; place(folder) waits for the bundle and moves it into folder;
    close() ends Pagefind if it still runs and removes what is left of the staging folder.
    """

    def __init__(self, stage: Path, reuse: Reuse | None = None) -> None:
        self._stage = stage
        self._reuse = reuse
        self._done = threading.Event()
        self._stopping = threading.Event()
        self._error: BaseException | None = None
        self._pages = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._service: _Service | None = None
        self._thread: threading.Thread | None = None

    @classmethod
    def start(cls, records: Iterable[Record], beside: Path, reuse: Reuse | None = None) -> "BackgroundIndex":
        """Start indexing `records` (read on the indexing thread) into a folder next to `beside`;
        with `reuse`, the fragments of the pages it names are taken from the last index."""
        pagefind_binary()
        beside = beside.absolute()
        beside.parent.mkdir(parents=True, exist_ok=True)
        index = cls(Path(tempfile.mkdtemp(prefix=f".{beside.name}.search-", dir=beside.parent)), reuse)
        index._thread = threading.Thread(target=index._run, args=(records,), name="connectory-search", daemon=True)
        index._thread.start()
        return index

    def place(self, folder: Path) -> int:
        """Wait for the index, then move it to folder/pagefind/; returns the number of pages indexed."""
        self._done.wait()
        if self._error is not None:
            if isinstance(self._error, ConnectoryError):
                raise self._error
            raise ConnectoryError(f"Pagefind could not build the search index: {self._error}") from self._error
        os.rename(self._stage / INDEX_FOLDER, folder / INDEX_FOLDER)
        return self._pages

    def close(self) -> None:
        """Stop Pagefind if it still runs (on an error, Ctrl-C) and remove the staging folder."""
        self._stopping.set()
        loop, service = self._loop, self._service
        if loop is not None and service is not None and not self._done.is_set():
            try:
                loop.call_soon_threadsafe(lambda: service._backend.returncode is None and service._backend.kill())
            except RuntimeError:
                pass  # the loop has just ended
        if self._thread is not None:
            self._thread.join()
        shutil.rmtree(self._stage, ignore_errors=True)

    def _run(self, records: Iterable[Record]) -> None:
        try:
            asyncio.run(self._index(records))
            canonicalise(self._stage / INDEX_FOLDER)
        except BaseException as exc:  # handed to place(), on the build's thread
            self._error = exc
        finally:
            self._done.set()

    async def _index(self, records: Iterable[Record]) -> None:
        self._loop = asyncio.get_running_loop()
        if self._stopping.is_set():
            return
        bundle = self._stage / INDEX_FOLDER
        service = self._service = await _Service().launch()
        linking: asyncio.Future[dict[str, int]] | None = None
        try:
            # The last index's fragments are linked on a thread of their own while the records go out.
            if self._reuse is not None:
                linking = asyncio.ensure_future(asyncio.to_thread(link_fragments, self._reuse, bundle))
            index = await service.create_index()
            sending: set[asyncio.Task[Any]] = set()
            for record in records:
                if self._stopping.is_set():
                    raise ConnectoryError("the search index was abandoned")
                if len(sending) >= WINDOW:
                    done, sending = await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
                    for task in done:
                        task.result()  # the first failure ends the indexing
                sending.add(asyncio.create_task(index.add_custom_record(
                    url=record.url, content=record.content, language=record.language, meta=dict(record.meta),
                    filters={k: list(v) for k, v in record.filters.items()})))
                self._pages += 1
            await asyncio.gather(*sending)
            linked = await linking if linking is not None else {}
            await _write(service, index, bundle)
            if linked and not prune_linked(bundle, linked):
                shutil.rmtree(bundle)  # a page took a kept fragment's name: Pagefind writes every file itself
                await _write(service, index, bundle)
        finally:
            if linking is not None:
                await asyncio.gather(linking, return_exceptions=True)  # never left running on an error
            await service.stop()


@dataclass(frozen=True)
class Reuse:
    """The last index, and the pages (numbered in the order of the records) whose records are unchanged.

    Pagefind names a page's fragment file by a hash of its content and leaves a file of that name
    alone when it is already there. Linking the last index's fragments of unchanged pages into the
    new bundle's folder first spares compressing them again: 3 of the 11 s Pagefind takes to write
    an index of 10,000 records.
    """

    bundle: Path
    pages: frozenset[int]


def page_fragments(bundle: Path) -> list[str] | None:
    """The fragment name of each page of a bundle of one language, in page order; None otherwise."""
    try:
        [(_, _, meta)] = _metas(bundle)[1]
        names = [page[0] for page in meta[1]]
    except (OSError, EOFError, ValueError, KeyError, IndexError, TypeError, _NotPagefind, cbor2.CBORDecodeError):
        return None
    return names if all(isinstance(n, str) and n and "/" not in n and not n.startswith(".") for n in names) else None


def link_fragments(reuse: Reuse, bundle: Path) -> dict[str, int]:
    """Link the reusable fragments into bundle/fragment/; returns each linked name with its page.

    Each is read whole first (gzip checks its length and checksum): a file cut short in some
    earlier index is written again by Pagefind rather than carried on. Any failure only means
    fewer files linked."""
    names = page_fragments(reuse.bundle)
    linked: dict[str, int] = {}
    if names is None:
        return linked
    folder = bundle / "fragment"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return linked
    for page in sorted(reuse.pages):
        if page < len(names) and names[page] not in linked:
            name = names[page]
            old = reuse.bundle / "fragment" / f"{name}.pf_fragment"
            try:
                if not gzip.decompress(old.read_bytes()).startswith(_SIGNATURE):
                    continue
                os.link(old, folder / f"{name}.pf_fragment")
            except (OSError, EOFError, zlib.error):  # gone, damaged, or on another file system
                continue
            linked[name] = page
    return linked


def prune_linked(bundle: Path, linked: Mapping[str, int]) -> bool:
    """After Pagefind wrote `bundle`: remove the linked fragments no page uses, and say whether
    every linked fragment a page uses is that same page's.

    A page whose content is unchanged gets the name it had, so its linked file is what Pagefind
    would write. Another page with that name (Pagefind lengthens a name that collides within an
    index, so names can move between pages) would get the linked file instead of its own: then
    the answer is False, and the bundle must be written whole.
    """
    names = page_fragments(bundle)
    if names is None or any(linked.get(name, page) != page for page, name in enumerate(names)):
        return False
    try:
        for name in linked.keys() - set(names):
            (bundle / "fragment" / f"{name}.pf_fragment").unlink(missing_ok=True)
    except OSError:
        return False
    return True


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


class _NotPagefind(Exception):
    """A file of a layout this code does not know (another Pagefind version)."""


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise _NotPagefind(f"{path.name} is not a Pagefind data file")
    return cbor2.loads(data[len(_SIGNATURE):])


def _metas(bundle: Path) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any], Any]]]:
    """A bundle's entry (pagefind-entry.json), and each language with its part of the entry and
    its metadata file's content."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return entry, [(language, info, _read(bundle / f"pagefind.{info['hash']}.pf_meta"))
                   for language, info in sorted(entry["languages"].items())]


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
    byte-identical builds are lost. A file that cannot be read or decoded is another matter: the
    bundle is damaged, and publishing it would break search, so that fails the build.
    """
    try:
        plans = []
        entry, metas = _metas(bundle)
        for language, info, meta in metas:
            filters = meta[3]
            files = {name: _read(bundle / "filter" / f"{hashed}.pf_filter") for name, hashed in filters}
            if not all(isinstance(f, list) and len(f) == 2 and isinstance(f[1], list) for f in files.values()):
                return
            plans.append((language, info, meta, filters, files))
    except (KeyError, IndexError, TypeError, _NotPagefind):
        return
    except (OSError, EOFError, ValueError, cbor2.CBORDecodeError) as exc:
        raise ConnectoryError(f"the search index Pagefind wrote in {bundle} is damaged ({type(exc).__name__}: {exc}); "
                              "build again, and report it if it happens again") from exc
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
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
