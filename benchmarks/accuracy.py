"""Accuracy and throughput of the cleaning modules on hand-labelled real strings.

    .venv/bin/python benchmarks/accuracy.py [--repeat 20] [--show-misses]

The labelled sets live in ``benchmarks/labelled/`` (``titles.csv``, ``pay.csv``, and the held-out
``titles_heldout.csv`` and ``pay_heldout.csv``): one row per
string, naming the real-data file (under ``../shared/realdata/``) and the record in it, with
labels written by reading each string. Text is stored in the row only where the source file
is MIT-licensed; otherwise it is read in place from the record reference at evaluation time.

Record references: ``[12].title`` / ``jobs[3].salary`` (a JSON path), ``row=7:Salary Estimate``
(a CSV data row, 0-based, and its column), or a JSON path into the schema.org JSON-LD of an
HTML job page (``description``). Pay rows may also carry the statement text itself (MIT
sources only), which then takes precedence.

``pay_heldout.csv`` was labelled by reading each string before running the parser on it, and
is never used to tune it. Its rows are a seeded random sample (seed 20260815), stratified by
source, of the distinct non-empty pay fields and descriptions in the real-data files (and of
the Uber description lines that mention pay or money), minus every text already in
``pay.csv``; a third of them state no base pay.

Pay is an exact match of (min, max, currency, period); a title of (family) and of (seniority),
reported separately. Throughput is strings per CPU-second in one process (one core), on
short pay fields and titles; whole descriptions are timed apart.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "benchmarks" / "labelled"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.salary import parse_salary  # noqa: E402
from pipeline.titles import classify_title  # noqa: E402
from sandbox.realdata import realdata_dir  # noqa: E402

_PATH_STEP = re.compile(r"\[(\d+)\]|\.?([A-Za-z_][\w ]*)")
_JSON_LD = re.compile(
    rb"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL
)


@cache
def _load(path: Path) -> object:
    raw = path.read_bytes()
    if path.suffix in (".html", ".htm"):
        blocks = [json.loads(block) for block in _JSON_LD.findall(raw)]
        postings = [b for b in blocks if isinstance(b, dict) and b.get("@type") == "JobPosting"]
        return (postings or blocks)[0]  # the page's JobPosting JSON-LD
    if path.suffix == ".csv":
        text = raw.decode("utf-8-sig", errors="replace")
        return list(csv.DictReader(text.splitlines()))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # scrapfly's Glassdoor file is cp1252
    return json.loads(text)


def resolve(source_file: str, record: str, root: Path | None = None) -> str | None:
    """The text a labelled row points at, read in place from the real-data file."""
    root = root or realdata_dir()
    if root is None:
        raise FileNotFoundError("../shared/realdata is not available")
    data = _load(root / source_file)
    if record.startswith("row="):
        index, column = record[4:].split(":", 1)
        return data[int(index)][column]
    node = data
    for index, key in _PATH_STEP.findall(record):
        node = node[int(index)] if index else node[key]
    return node


@dataclass(frozen=True)
class Row:
    text: str | None
    labels: dict[str, str]
    ref: str


def load_rows(name: str, root: Path | None = None) -> list[Row]:
    rows = []
    with (LABELLED / name).open(encoding="utf-8", newline="") as handle:
        for raw in csv.DictReader(handle):
            text = raw.pop("text") or resolve(raw["source_file"], raw["record"], root)
            ref = f"{raw.pop('source_file')}#{raw.pop('record')}"
            rows.append(Row(text, raw, ref))
    return rows


def _number(value: str) -> float | None:
    return float(value) if value not in ("", None) else None


def pay_expected(row: Row) -> tuple | None:
    lab = row.labels
    if lab["period"] == "":
        return None  # the string states no pay
    return (_number(lab["min"]), _number(lab["max"]), lab["currency"] or None, lab["period"])


def pay_actual(text: str | None) -> tuple | None:
    parsed = parse_salary(text)
    if parsed is None:
        return None
    return (parsed.min, parsed.max, parsed.currency, parsed.period)


@dataclass
class Score:
    name: str
    correct: int
    total: int
    misses: list[tuple[str, object, object]]

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def _score(name: str, rows: Iterable[Row], expected: Callable, actual: Callable) -> Score:
    correct, total, misses = 0, 0, []
    for row in rows:
        want, got = expected(row), actual(row.text)
        total += 1
        if want == got:
            correct += 1
        else:
            misses.append((row.ref, want, got))
    return Score(name, correct, total, misses)


def _title_score(name: str, rows: list, field: str) -> Score:
    """Accuracy of one ``TitleClass`` field (family or seniority) on labelled titles."""
    return _score(
        name, rows, lambda r: r.labels[field], lambda t: getattr(classify_title(t), field)
    )


def evaluate(root: Path | None = None) -> list[Score]:
    """Per-module accuracy on the labelled sets."""
    pay = load_rows("pay.csv", root)
    titles = load_rows("titles.csv", root)
    heldout = load_rows("titles_heldout.csv", root)
    pay_heldout = load_rows("pay_heldout.csv", root)
    return [
        _score("pay (min, max, currency, period)", pay, pay_expected, pay_actual),
        # Labelled before running the parser on them and never used to tune it.
        _score("pay, held out", pay_heldout, pay_expected, pay_actual),
        _title_score("title family", titles, "family"),
        _title_score("title seniority", titles, "seniority"),
        # Labelled after the rules were written and never used to tune them.
        _title_score("title family, held out", heldout, "family"),
        _title_score("title seniority, held out", heldout, "seniority"),
    ]


def throughput(func: Callable, texts: list[str], repeat: int) -> float:
    """Calls per CPU-second of ``func`` over ``texts`` repeated ``repeat`` times.

    CPU time of this process (``time.process_time``), not wall time: on a shared machine
    the wall clock also counts time spent waiting for the core.
    """
    start = time.process_time()
    for _ in range(repeat):
        for text in texts:
            func(text)
    return len(texts) * repeat / (time.process_time() - start)


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()

    console = Console()
    scores = evaluate()
    pay_texts = [r.text for r in load_rows("pay.csv") if r.text]
    short_pay = [t for t in pay_texts if len(t) <= 200]
    title_texts = [r.text for r in load_rows("titles.csv")]
    rates = {
        "pay (min, max, currency, period)": throughput(parse_salary, short_pay, args.repeat),
        "title family": throughput(classify_title, title_texts, args.repeat),
    }
    for name in ("title seniority", "title family, held out", "title seniority, held out"):
        rates[name] = rates["title family"]
    heldout_pay = [r.text for r in load_rows("pay_heldout.csv") if r.text]
    rates["pay, held out"] = throughput(
        parse_salary, [t for t in heldout_pay if len(t) <= 200], args.repeat
    )
    long_rate = throughput(parse_salary, [t for t in pay_texts if len(t) > 200], args.repeat)

    table = Table(title="secjobs cleaning: accuracy on hand-labelled real strings")
    for column in ("module", "labelled", "exact", "accuracy", "strings per CPU-second"):
        table.add_column(column, justify="right" if column != "module" else "left")
    for score in scores:
        table.add_row(
            score.name,
            str(score.total),
            str(score.correct),
            f"{score.accuracy:.1%}",
            f"{rates[score.name]:,.0f}",
        )
    table.add_row("pay, whole descriptions (>200 chars)", "", "", "", f"{long_rate:,.0f}")
    console.print(table)
    if args.show_misses:
        for score in scores:
            for ref, want, got in score.misses:
                console.print(f"[red]{score.name}[/] {ref}\n  want {want}\n  got  {got}")


if __name__ == "__main__":
    main()
