"""Clean staged feeds on several processes: what ``clean_records`` gives for their records,
in the same order, in a fraction of the time.

Cleaning is CPU work in Python (regexes over long descriptions), which threads cannot share.
Worker processes each read, parse and clean chunks of staged lines and send back clean rows;
this process cleans the exchange rates first, so every worker converts pay with this run's
rates.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pipeline import fx
from pipeline.clean import Cleaned, clean_one, is_rate, rates_for_pay
from pipeline.ledger import Feed
from pipeline.staging import parse_line, staged_lines

CHUNK_BYTES = 2 << 20  # per task, about a thousand postings: enough that its overhead costs little
WORKERS_ENV = "SECJOBS_CLEAN_WORKERS"

# A feed's path, and a byte range of its lines: where it starts and ends, its first line's number.
Chunk = tuple[str, int, int, int]
# Blank as bytes.strip() sees it: a line of ASCII whitespace only; at the start, or after a newline.
_BLANK_LINE = re.compile(rb"[ \t\r\x0b\x0c]*(?:\n|\Z)")
_BLANK_LINE_AFTER = re.compile(rb"\n(?=[ \t\r\x0b\x0c]*(?:\n|\Z))")
# Searched as patterns: faster than ``in`` over megabytes (a third where backslashes abound).
_FX_RATE = re.compile(rb"fx_rate")
_ESCAPE_U = re.compile(rb"\\u")

_worker_rates: fx.RateTable | None = None  # set in each worker by _start_worker


def clean_feeds(
    feeds: Sequence[Feed],
    known_rates: Iterable[fx.Rate] = (),
    workers: int | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> tuple[Cleaned, dict[str, int]]:
    """Every staged record of ``feeds`` cleaned, as ``pipeline.clean.clean_records`` would
    clean them read in order, and how many records each feed held.

    ``workers``: processes to clean on (default: ``SECJOBS_CLEAN_WORKERS``, else one per
    CPU this process may use); 1 cleans in this process. Fewer are started when there are
    fewer chunks of about ``chunk_bytes`` bytes.
    """
    parts, counts = clean_feed_parts(feeds, known_rates, workers, chunk_bytes)
    out = Cleaned()
    for part in parts:
        out.extend(part)
    return out, counts


def clean_feed_parts(
    feeds: Sequence[Feed],
    known_rates: Iterable[fx.Rate] = (),
    workers: int | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> tuple[Iterator[Cleaned], dict[str, int]]:
    """``clean_feeds`` in parts, yielded in order as the workers finish them, so a caller
    can store the first parts while the workers clean the rest."""
    first = Cleaned()
    counts: dict[str, int] = {}
    chunks: list[Chunk] = []
    for feed in feeds:
        feed_chunks, counts[feed.key] = _chunks(feed.path, chunk_bytes, first)
        chunks += feed_chunks
    rates = rates_for_pay(known_rates, first.fx_rates)
    workers = min(workers or default_workers(), len(chunks))
    return _parts(first, chunks, rates, workers), counts


def _chunks(path: Path, chunk_bytes: int, rates: Cleaned) -> tuple[list[Chunk], int]:
    """The feed in chunks of whole lines of about ``chunk_bytes``, as byte ranges the
    workers read themselves (this process neither splits the feed into lines nor sends it to
    them), and how many records (non-blank lines) it holds. Its exchange rates are cleaned
    into ``rates``. Each chunk is scanned while it is in the CPU's cache."""
    if not path.exists():
        return [], 0
    name, chunks = str(path), list[Chunk]()
    start, first_line, records = 0, 1, 0
    with path.open("rb") as handle:
        while block := handle.read(chunk_bytes):
            if not block.endswith(b"\n"):
                block += handle.readline()  # to the end of its last line
            chunks.append((name, start, start + len(block), first_line))
            start += len(block)
            newlines = block.count(b"\n")
            first_line += newlines
            records += _records(block, newlines)
            if _may_hold_rate(block):
                _clean_rates(name, block, rates)
    return chunks, records


def _may_hold_rate(data: bytes) -> bool:
    """A record of kind "fx_rate" holds those bytes, or spells them with \\u escapes (JSON's
    other escapes stand for none of its characters): only such blocks and lines are read."""
    return _FX_RATE.search(data) is not None or _ESCAPE_U.search(data) is not None


def _records(block: bytes, newlines: int) -> int:
    """How many non-blank lines ``block`` (holding ``newlines`` newlines) holds, counted
    without splitting it: a line starts at 0 and after each newline but a last one; blank
    ones are found by a regular expression."""
    lines_end = len(block) - 1 if block.endswith(b"\n") else len(block)
    starts = newlines + (lines_end == len(block))
    blank = len(_BLANK_LINE_AFTER.findall(block, 0, lines_end))
    return starts - blank - bool(_BLANK_LINE.match(block, 0, lines_end))


def _clean_rates(path: str, block: bytes, out: Cleaned) -> None:
    for raw in io.BytesIO(block):  # split as a file is
        if _may_hold_rate(raw):
            record = parse_line(path, 0, raw)  # a line number only a BadLine keeps
            if is_rate(record):
                clean_one(record, out, None)


def _parts(
    first: Cleaned, chunks: list[Chunk], rates: list[fx.Rate], workers: int
) -> Iterator[Cleaned]:
    yield first
    if workers <= 1:
        table = fx.RateTable(rates)
        for chunk in chunks:
            yield _clean_lines(chunk, table)
        return
    pool = ProcessPoolExecutor(
        workers, mp_context=_context(), initializer=_start_worker, initargs=(rates,)
    )
    try:
        yield from pool.map(_clean_chunk, chunks)  # in order, as they finish
    finally:
        pool.shutdown(cancel_futures=True)  # also when the caller stops early


def default_workers() -> int:
    if os.environ.get(WORKERS_ENV):
        return max(1, int(os.environ[WORKERS_ENV]))
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _context():
    # fork starts workers at once, with every module already imported; but forking a process
    # that runs other threads (a Prefect flow does) can leave a lock held in the child, so
    # there the workers come from a fresh forkserver that has imported the cleaners.
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.clean"])
    return context


def _start_worker(rates: list[fx.Rate]) -> None:
    global _worker_rates
    _worker_rates = fx.RateTable(rates)


def _clean_chunk(chunk: Chunk) -> Cleaned:
    return _clean_lines(chunk, _worker_rates)


def _clean_lines(chunk: Chunk, rates: fx.RateTable | None) -> Cleaned:
    path, start, end, first_line = chunk
    out = Cleaned()
    for line_no, raw in staged_lines(Path(path), start, end, first_line):
        record = parse_line(path, line_no, raw)
        if not is_rate(record):  # cleaned already, before the workers started
            clean_one(record, out, rates)
    return out
