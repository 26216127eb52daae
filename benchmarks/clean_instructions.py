"""Cleaning's CPU instructions per posting: a figure the machine's speed does not move.

    .venv/bin/python benchmarks/clean_instructions.py [--records 1000] [--seed DIR]

Wall and CPU seconds on a shared virtual machine drift by a quarter within minutes, and by
2x between sessions (see the README), so an optimisation of a few percent cannot be told from
noise by timing it. Instructions can: Valgrind's cachegrind counts every instruction the
process runs, the same on every run to within half a percent (``PYTHONHASHSEED`` is fixed).

It counts one process cleaning the first ``--records`` staged records of the seed that
``benchmarks/clean_store.py`` crawls (``data/bench/clean_store_seed``; run that first), as
the cleaning workers do (``clean_one``), twice: once after a warm-up pass only, once with a
second, measured pass; the difference is the measured pass. Needs Valgrind
(``apt-get install valgrind``); the process runs about 50 times slower under it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "data" / "bench" / "clean_store_seed"
_TOTAL = re.compile(r"I\s+refs:\s+([\d,]+)")


def _records(seed: Path, records: int) -> list:
    """The first records of each staged feed, in proportion, as ``clean_one`` takes them."""
    from pipeline.staging import parse_line

    feeds = sorted(seed.glob("*/*.jsonl"))
    out = []
    for feed in feeds:
        lines = [line for line in feed.read_bytes().splitlines() if line.strip()]
        out += [parse_line(str(feed), 0, line) for line in lines[: records // len(feeds)]]
    return out


def _child(seed: Path, records: int, measure: bool) -> None:
    sys.path.insert(0, str(ROOT))
    from pipeline import fx
    from pipeline.clean import Cleaned, clean_one

    staged = _records(seed, records)
    rates = fx.RateTable(fx.read_rates())
    for record in staged:  # the warm-up: patterns compiled, titles and places cached
        clean_one(record, Cleaned(), rates)
    if measure:
        out = Cleaned()
        for record in staged:
            clean_one(record, out, rates)
    print(len(staged))


def _instructions(seed: Path, records: int, measure: bool) -> tuple[int, int]:
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    command += [sys.executable, __file__, "--child", "--seed", str(seed)]
    command += ["--records", str(records)] + (["--measure"] if measure else [])
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    total = _TOTAL.search(done.stderr)
    if total is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(total[1].replace(",", "")), int(done.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000, help="staged records to clean")
    parser.add_argument("--seed", type=Path, default=SEED_DIR, help="staged feeds to read")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.seed, args.records, args.measure)
        return
    if not any(args.seed.glob("*/*.jsonl")):
        raise SystemExit(f"no staged feeds in {args.seed}: run benchmarks/clean_store.py first")
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    warm, records = _instructions(args.seed, args.records, measure=False)
    both, _ = _instructions(args.seed, args.records, measure=True)
    print(
        f"cleaning: {(both - warm) / records:,.0f} instructions per staged record "
        f"({records:,} records of {args.seed}, one process, after a warm-up pass)"
    )


if __name__ == "__main__":
    main()
