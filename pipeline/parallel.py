"""Clean staged feeds on several processes: what ``clean_records`` gives for their records,
in the same order, in a fraction of the time.

Cleaning is CPU work in Python (regexes over long descriptions), which threads cannot share.
Worker processes each parse and clean chunks of staged lines and send back clean rows; this
process cleans the exchange rates first, so every worker converts pay with this run's rates.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from pipeline import fx
from pipeline.clean import Cleaned, clean_one, is_rate, rates_for_pay
from pipeline.ledger import Feed
from pipeline.staging import parse_line, staged_lines

CHUNK_LINES = 1_000  # lines per task: large enough that sending them costs little
WORKERS_ENV = "SECJOBS_CLEAN_WORKERS"

Chunk = tuple[str, list[tuple[int, bytes]]]  # a feed's path, and some of its lines

_worker_rates: fx.RateTable | None = None  # set in each worker by _start_worker


def clean_feeds(
    feeds: Sequence[Feed],
    known_rates: Iterable[fx.Rate] = (),
    workers: int | None = None,
    chunk_lines: int = CHUNK_LINES,
) -> tuple[Cleaned, dict[str, int]]:
    """Every staged record of ``feeds`` cleaned, as ``pipeline.clean.clean_records`` would
    clean them read in order, and how many records each feed held.

    ``workers``: processes to clean on (default: ``SECJOBS_CLEAN_WORKERS``, else one per
    CPU this process may use); 1 cleans in this process. Fewer are started when there are
    fewer chunks of ``chunk_lines`` lines.
    """
    parts, counts = clean_feed_parts(feeds, known_rates, workers, chunk_lines)
    out = Cleaned()
    for part in parts:
        out.extend(part)
    return out, counts


def clean_feed_parts(
    feeds: Sequence[Feed],
    known_rates: Iterable[fx.Rate] = (),
    workers: int | None = None,
    chunk_lines: int = CHUNK_LINES,
) -> tuple[Iterator[Cleaned], dict[str, int]]:
    """``clean_feeds`` in parts, yielded in order as the workers finish them, so a caller
    can store the first parts while the workers clean the rest."""
    first = Cleaned()
    counts: dict[str, int] = {}
    chunks: list[Chunk] = []
    for feed in feeds:
        path = str(feed.path)
        lines = list(staged_lines(feed.path)) if feed.path.exists() else []
        counts[feed.key] = len(lines)
        rest = []
        for line_no, raw in lines:
            # A record of kind "fx_rate" holds those bytes, or spells them with \u escapes
            # (JSON's other escapes stand for none of its characters): only such lines
            # need reading here.
            if b"fx_rate" in raw or b"\\u" in raw:
                record = parse_line(path, line_no, raw)
                if is_rate(record):
                    clean_one(record, first, None)
                    continue
            rest.append((line_no, raw))
        chunks += [(path, rest[i : i + chunk_lines]) for i in range(0, len(rest), chunk_lines)]
    rates = rates_for_pay(known_rates, first.fx_rates)
    workers = min(workers or default_workers(), len(chunks))
    return _parts(first, chunks, rates, workers), counts


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
    path, lines = chunk
    out = Cleaned()
    for line_no, raw in lines:
        clean_one(parse_line(path, line_no, raw), out, rates)
    return out
