"""How well ``pipeline.dedupe.assign_clusters`` groups the same job across boards, against truth.

    .venv/bin/python benchmarks/dedupe_quality.py [--postings 600] [--seed 2022]

1. serves a generated sandbox market (no recorded real responses) and crawls it with every
   job-posting spider in real `scrapy crawl` subprocesses, then cleans the staged records;
2. recovers for each cleaned posting the generator index it was rendered from (the ground
   truth: one index is one job, whichever boards carry it), from the ids and URLs each
   source's renderer (sandbox/routes/*.py) derives from the index; unmappable postings are
   excluded and counted;
3. clusters the cleaned rows and scores "same cluster" against "same index" over pairs:
   precision, recall and F1, duplicate groups found whole, false and missed merges.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from urllib.parse import urlsplit

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.clean import clean_records  # noqa: E402
from pipeline.dedupe import assign_clusters, normalize  # noqa: E402
from pipeline.staging import read_staged  # noqa: E402
from sandbox.generator import BOARD_TOKENS, Market, posting_uuid  # noqa: E402
from sandbox.server import running_sandbox  # noqa: E402

console = Console(width=None if sys.stdout.isatty() else 200)
SPIDERS = (
    "greenhouse",
    "careers",
    "lever",
    "ashby",
    "smartrecruiters",
    "workable",
    "usajobs",
    "adzuna",
    "remoteok",
    "remotive",
)
RUN_ID = "dedupe"
EXAMPLES = 10


# --- ground truth: the generator index each source's renderer encodes ---------------------


def _offset(value: str, base: int) -> int | None:
    """``value`` is ``base + index`` (a numeric id) -> index."""
    return int(value) - base if value.isdigit() and int(value) >= base else None


def _greenhouse(row: dict, _lookups: dict) -> int | None:
    # absolute_url https://job-boards.greenhouse.io/<board>/jobs/<4_000_000_000 + index>;
    # the board must be a generated one (recorded boards have real ids in the same range).
    parts = urlsplit(row["url"]).path.strip("/").split("/")
    if len(parts) != 3 or parts[0] not in BOARD_TOKENS or parts[1] != "jobs":
        return None
    return _offset(row["source_id"], 4_000_000_000)


def _careers(row: dict, _lookups: dict) -> int | None:
    # url https://<board>.careers.example/jobs/<index>; id "<host>:CS-<index>".
    match = re.fullmatch(r"https://([a-z0-9]+)\.careers\.example/jobs/(\d+)", row["url"])
    if not match or match[1] not in BOARD_TOKENS:
        return None
    return int(match[2]) if row["source_id"].endswith(f":CS-{match[2]}") else None


def _uuid_source(source: str) -> Callable[[dict, dict], int | None]:
    # Lever and Ashby ids are posting_uuid(source, p): a hash of the index, so look it up.
    def mapper(row: dict, lookups: dict) -> int | None:
        return lookups[source].get(row["source_id"])

    mapper.__name__ = f"_{source}"
    return mapper


def _smartrecruiters(row: dict, _lookups: dict) -> int | None:
    return _offset(row["source_id"], 744_000_000_000)  # posting_id = 744e9 + index


def _workable(row: dict, lookups: dict) -> int | None:
    return lookups["workable"].get(row["source_id"])  # shortcode = blake2b("workable:<i>")


def _usajobs(row: dict, _lookups: dict) -> int | None:
    # MatchedObjectId = 800_000_000 + index, PositionURI https://www.usajobs.gov/job/<id>
    if not row["url"].endswith(f"/job/{row['source_id']}"):
        return None
    return _offset(row["source_id"], 800_000_000)


def _adzuna(row: dict, _lookups: dict) -> int | None:
    # id 3_000_000_000 + index, redirect_url .../land/ad/<id>?se=sandbox...
    if "se=sandbox" not in row["url"]:
        return None
    return _offset(row["source_id"], 3_000_000_000)


def _remoteok(row: dict, _lookups: dict) -> int | None:
    return _offset(row["source_id"], 2_000_000)  # id 2_000_000 + index


def _remotive(row: dict, _lookups: dict) -> int | None:
    return _offset(row["source_id"], 2_500_000)  # id 2_500_000 + index


MAPPERS: dict[str, Callable[[dict, dict], int | None]] = {
    "greenhouse": _greenhouse,
    "careers": _careers,
    "lever": _uuid_source("lever"),
    "ashby": _uuid_source("ashby"),
    "smartrecruiters": _smartrecruiters,
    "workable": _workable,
    "usajobs": _usajobs,
    "adzuna": _adzuna,
    "remoteok": _remoteok,
    "remotive": _remotive,
}


def lookups(market: Market) -> dict[str, dict[str, int]]:
    """Hash-derived ids back to indices."""
    out: dict[str, dict[str, int]] = {"lever": {}, "ashby": {}, "workable": {}}
    for p in market:
        out["lever"][posting_uuid("lever", p)] = p.index
        out["ashby"][posting_uuid("ashby", p)] = p.index
        code = hashlib.blake2b(f"workable:{p.index}".encode(), digest_size=5).hexdigest()
        out["workable"][code.upper()] = p.index
    return out


def truth_index(row: dict, market: Market, tables: dict) -> int | None:
    """The generator index ``row`` was rendered from, checked against the posting's title."""
    mapper = MAPPERS.get(row["source"])
    index = mapper(row, tables) if mapper else None
    if index is None or not 0 <= index < market.size:
        return None
    # A recorded real posting whose id happens to fall in the range must not pass.
    if normalize(market.posting(index).title) != normalize(row["title"]):
        TITLE_MISMATCHES[row["source"]] += 1
        return None
    return index


TITLE_MISMATCHES: Counter = Counter()


# --- crawl and clean ------------------------------------------------------------------------


def crawl(spiders: tuple[str, ...], url: str, staging: Path) -> dict[str, float]:
    env = {
        **os.environ,
        "SECJOBS_SANDBOX_URL": url,
        "SECJOBS_STAGING_DIR": str(staging),
        "SECJOBS_REALDATA_DIR": "/nonexistent/secjobs-realdata",
    }
    started = time.perf_counter()
    procs = {
        spider: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                spider,
                "-a",
                f"run_id={RUN_ID}",
                "-s",
                "LOG_LEVEL=WARNING",
                "-s",
                "HTTPCACHE_ENABLED=False",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for spider in spiders
    }
    seconds: dict[str, float] = {}
    for spider, proc in procs.items():
        _, err = proc.communicate()
        seconds[spider] = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"scrapy crawl {spider} failed ({proc.returncode}):\n{err[-3000:]}")
    return seconds


# --- scoring -----------------------------------------------------------------------------------


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def describe(row: dict) -> str:
    place = row.get("location_raw") or "-"
    return f"{row['source']}: {row['title']} | {row.get('company') or '-'} | {place}"


def score(rows: list[dict], truth: dict[tuple, int], clusters: dict[tuple, str]) -> dict:
    keys = list(truth)
    by_cluster: dict[str, list[tuple]] = defaultdict(list)
    by_index: dict[int, list[tuple]] = defaultdict(list)
    both: Counter = Counter()
    for key in keys:
        by_cluster[clusters[key]].append(key)
        by_index[truth[key]].append(key)
        both[(clusters[key], truth[key])] += 1
    predicted = sum(pairs(len(m)) for m in by_cluster.values())
    actual = sum(pairs(len(m)) for m in by_index.values())
    correct = sum(pairs(n) for n in both.values())
    precision = correct / predicted if predicted else 1.0
    recall = correct / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    groups = {i: m for i, m in by_index.items() if len(m) > 1}
    whole = [i for i, m in groups.items() if len({clusters[k] for k in m}) == 1]
    mixed = {c: m for c, m in by_cluster.items() if len({truth[k] for k in m}) > 1}
    # Only the truth group's own postings: a merged group may still be glued to others.
    pure = [i for i in whole if len(by_cluster[clusters[groups[i][0]]]) == len(groups[i])]
    false_pairs = [
        (a, b)
        for members in mixed.values()
        for a, b in combinations(sorted(members), 2)
        if truth[a] != truth[b]
    ]
    missed_pairs = [
        (a, b)
        for members in groups.values()
        for a, b in combinations(sorted(members), 2)
        if clusters[a] != clusters[b]
    ]
    return {
        "postings": len(keys),
        "jobs": len(by_index),
        "clusters": len(by_cluster),
        "predicted_pairs": predicted,
        "true_pairs": actual,
        "correct_pairs": correct,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "groups": len(groups),
        "merged_whole": len(whole),
        "merged_pure": len(pure),
        "mixed_clusters": len(mixed),
        "false_pairs": false_pairs,
        "missed_pairs": missed_pairs,
    }


def source_pair_table(title: str, pair_list: list[tuple], keep=lambda a, b: True) -> Table:
    counts = Counter(tuple(sorted((a[0], b[0]))) for a, b in pair_list if keep(a, b))
    table = Table(title=title, title_justify="left")
    table.add_column("sources")
    table.add_column("pairs", justify="right")
    for (x, y), n in counts.most_common():
        table.add_row(f"{x} + {y}", f"{n:,}")
    return table


def examples_table(
    title: str, pair_list: list[tuple], rows: dict, truth: dict, note: Callable
) -> Table:
    table = Table(title=title, title_justify="left", show_lines=True)
    for column in ("index", "posting A (source: title | company | location)", "index", "B", "why"):
        table.add_column(column, overflow="fold")
    # Spread the examples over source pairs rather than showing ten of the commonest kind.
    by_kind: dict[tuple, list[tuple]] = defaultdict(list)
    for a, b in pair_list:
        by_kind[tuple(sorted((a[0], b[0])))].append((a, b))
    picked: list[tuple] = []
    while len(picked) < EXAMPLES and any(by_kind.values()):
        for kind in sorted(by_kind):
            if by_kind[kind] and len(picked) < EXAMPLES:
                picked.append(by_kind[kind].pop(0))
    for a, b in picked:
        table.add_row(
            str(truth[a]), describe(rows[a]), str(truth[b]), describe(rows[b]), note(a, b)
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=600, help="sandbox market size")
    parser.add_argument("--seed", type=int, default=2022, help="sandbox market seed")
    args = parser.parse_args()
    market = Market(size=args.postings, seed=args.seed)
    os.environ["SECJOBS_REALDATA_DIR"] = "/nonexistent/secjobs-realdata"  # this process too

    with tempfile.TemporaryDirectory() as tmp, running_sandbox(market) as url:
        staging = Path(tmp) / "staging"
        with console.status(f"crawling {len(SPIDERS)} spiders"):
            seconds = crawl(SPIDERS, url, staging)
        records = [
            r for spider in SPIDERS for r in read_staged(staging / spider / f"{RUN_ID}.jsonl")
        ]
    cleaned = clean_records(records)

    # One row per (source, source_id), as the store upserts them (searches overlap).
    rows: dict[tuple, dict] = {}
    for row in cleaned.postings:
        rows.setdefault((row["source"], row["source_id"]), row)
    repeats = len(cleaned.postings) - len(rows)
    tables = lookups(market)
    truth: dict[tuple, int] = {}
    unmapped: Counter = Counter()
    for key, row in rows.items():
        index = truth_index(row, market, tables)
        if index is None:
            unmapped[key[0]] += 1
        else:
            truth[key] = index
    mapped_rows = [rows[k] for k in truth]
    started = time.perf_counter()
    clusters = assign_clusters(mapped_rows)
    cluster_seconds = time.perf_counter() - started
    result = score(mapped_rows, truth, clusters)
    # USAJOBS renders a generated job under a fictional agency, not the employer: the same
    # index, but no shared company name. Scored once more without it to separate the causes.
    federal = {k: i for k, i in truth.items() if k[0] != "usajobs"}
    result_nf = score([rows[k] for k in federal], federal, clusters)

    per_source = Table(title="postings per source", title_justify="left")
    for column in ("source", "cleaned", "mapped", "unmapped", "finished after s"):
        per_source.add_column(column, justify="left" if column == "source" else "right")
    counts = Counter(k[0] for k in rows)
    mapped = Counter(k[0] for k in truth)
    for spider in SPIDERS:
        per_source.add_row(
            spider,
            f"{counts[spider]:,}",
            f"{mapped[spider]:,}",
            f"{unmapped[spider]:,}",
            f"{seconds[spider]:.1f}",
        )
    console.print(per_source)
    console.print(
        f"staged records {len(records):,}; cleaned postings {len(cleaned.postings):,} "
        f"({repeats:,} repeated (source, id) dropped); quarantined {len(cleaned.quarantined):,} "
        f"{dict(cleaned.reasons) or ''}"
    )

    summary = Table(
        title=f"dedupe quality: market {args.postings:,} postings, seed {args.seed}",
        title_justify="left",
    )
    summary.add_column("measure")
    summary.add_column("all sources", justify="right")
    summary.add_column("without usajobs", justify="right")

    def both(name: str, fmt: str = ",") -> tuple[str, str]:
        return tuple(
            format(len(r[name]) if isinstance(r[name], list) else r[name], fmt)
            for r in (result, result_nf)
        )

    for label, values in (
        ("postings scored (mapped to an index)", both("postings")),
        ("distinct jobs (generator indices)", both("jobs")),
        ("clusters (over the scored postings)", both("clusters")),
        ("true duplicate pairs", both("true_pairs")),
        ("predicted same-cluster pairs", both("predicted_pairs")),
        ("correct pairs", both("correct_pairs")),
        ("pairwise precision", both("precision", ".3f")),
        ("pairwise recall", both("recall", ".3f")),
        ("pairwise F1", both("f1", ".3f")),
        ("true duplicate groups (index on >= 2 boards)", both("groups")),
        ("  merged whole (all in one cluster)", both("merged_whole")),
        ("  merged whole and alone in its cluster", both("merged_pure")),
        ("clusters holding > 1 job (false merges)", both("mixed_clusters")),
        ("false-merge pairs", both("false_pairs")),
        ("missed-merge pairs", both("missed_pairs")),
    ):
        summary.add_row(label, *values)
    console.print(summary)
    console.print(
        f"excluded, no index recovered: {sum(unmapped.values()):,} {dict(unmapped)} "
        f"(of which title did not match the index: {sum(TITLE_MISMATCHES.values())}); "
        f"assign_clusters on {len(mapped_rows):,} rows took {cluster_seconds:.2f} s"
    )

    def why_false(a: tuple, b: tuple) -> str:
        pa, pb = market.posting(truth[a]), market.posting(truth[b])
        same = [
            name
            for name, x, y in (
                ("company", pa.company, pb.company),
                ("title", pa.title, pb.title),
                ("place", pa.location_text, pb.location_text),
                ("text", pa.description_html(), pb.description_html()),
            )
            if x == y
        ]
        if rows[a]["url"] == rows[b]["url"]:
            same.append("url")
        return "same " + ", ".join(same) if same else "chained"

    def why_missed(a: tuple, b: tuple) -> str:
        ra, rb = rows[a], rows[b]
        reasons = []
        if normalize(ra.get("company")) != normalize(rb.get("company")):
            reasons.append("company differs")
        if normalize(ra.get("location_raw")) != normalize(rb.get("location_raw")):
            reasons.append("location differs")
        la, lb = (
            len((ra.get("description") or "").split()),
            len((rb.get("description") or "").split()),
        )
        reasons.append(f"{la}/{lb} words")
        return ", ".join(reasons)

    if result["false_pairs"]:
        console.print(source_pair_table("false-merge pairs by sources", result["false_pairs"]))
        console.print(
            examples_table(
                f"false merges (up to {EXAMPLES})", result["false_pairs"], rows, truth, why_false
            )
        )
    if result["missed_pairs"]:
        console.print(source_pair_table("missed-merge pairs by sources", result["missed_pairs"]))
        console.print(
            examples_table(
                f"missed merges (up to {EXAMPLES})", result["missed_pairs"], rows, truth, why_missed
            )
        )


if __name__ == "__main__":
    main()
