"""One way to run a crawl: a ``scrapy crawl`` subprocess, its environment, its staged output.

Twisted's reactor cannot restart in a process, so every crawl is a subprocess run from the
project root. The flow's crawl task, ``secjobs crawl`` and the tests all call ``launch_crawl``;
it has no Prefect in it (credentials may come from Prefect Secret blocks, read only when
their environment variable is unset: flows.secrets).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flows import secrets
from pipeline import config
from pipeline.crawls import CrawlVerdict, judge_crawl
from spiders.sources import deployment_spiders, source_specs

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Beyond Scrapy's own close (CLOSESPIDER_TIMEOUT), the subprocess is killed this much later
# (a wedged reactor, a hung download).
KILL_GRACE = 300


@dataclass
class CrawlOutput:
    spider: str
    feed: Path  # <staging>/<spider>/<run id>.jsonl
    returncode: int
    stats: dict[str, Any]
    verdict: CrawlVerdict
    log: Path | None  # the crawl's log file, when it wrote one
    stderr: str = ""  # the end of what it printed, when captured

    @property
    def records(self) -> list[dict[str, Any]]:
        """The staged records, read back (for tests and one-off checks; runs stream them)."""
        if not self.feed.exists():
            return []
        return [json.loads(line) for line in self.feed.read_text().splitlines() if line]


class UnknownSpider(ValueError):
    """A spider name no spider of the project has."""


def check_spiders(spiders: list[str] | None, group: str | None = None) -> list[str]:
    """``spiders`` if every name is a spider's (None: the sources of deployment ``group``
    in the registry, or all spiders without a group); else ``UnknownSpider`` naming the bad
    ones and the valid ones, before anything starts."""
    known = all_spiders()
    if spiders is None and group is not None:
        spiders = deployment_spiders(group)
        if not spiders:
            groups = sorted({spec.deployment for spec in source_specs().values()})
            raise UnknownSpider(f"no source is in group {group!r}; groups: {', '.join(groups)}")
    if spiders is None:
        return known
    unknown = [name for name in spiders if name not in known]
    if unknown:
        raise UnknownSpider(
            f"unknown spider {', '.join(map(repr, unknown))}; valid: {', '.join(known)}"
        )
    return list(spiders)


def all_spiders() -> list[str]:
    """Every spider of the Scrapy project, as `scrapy list` names them."""
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
    return SpiderLoader.from_settings(settings).list()


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def crawl_environment(
    staging: Path, sandbox_url: str | None = None, spider: str | None = None
) -> dict[str, str]:
    """The environment of a ``scrapy crawl`` subprocess: credentials (environment variables,
    else Secret blocks), the staging dir, the sandbox URL if any. It runs in the project root,
    so paths are made absolute here, where a relative ``SECJOBS_DATA_DIR`` means what the
    caller means by it (the HTTP cache beside its database, not in the project's data/).
    ``spider``: only its credentials (None: every source's)."""
    credentials = secrets.crawl_environment([spider] if spider else None)
    env = {**os.environ, **credentials, "SECJOBS_STAGING_DIR": str(staging)}
    env["SECJOBS_HTTPCACHE_DIR"] = str(config.httpcache_dir())
    if sandbox_url:
        env["SECJOBS_SANDBOX_URL"] = sandbox_url
    return env


def crawl_command(spider: str, run_id: str, settings: dict[str, str], output: str | None = None):
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"run_id={run_id}"]
    for key, value in settings.items():
        command += ["-s", f"{key}={value}"]
    if output:
        command += ["-o", output]
    return command


def launch_crawl(
    spider: str,
    run_id: str,
    staging: Path,
    *,
    sandbox_url: str | None = None,
    settings: dict[str, str] | None = None,
    output: str | None = None,
    timeout_seconds: float | None = None,
    log_file: Path | None = None,
    capture: bool = True,
    environment: dict[str, str] | None = None,
) -> CrawlOutput:
    """``scrapy crawl <spider> -a run_id=<run_id>``, staging into ``staging``; its verdict.

    ``settings``: Scrapy settings (``-s``); ``output``: also a feed file (``-o``);
    ``timeout_seconds``: Scrapy closes the spider gracefully then (CLOSESPIDER_TIMEOUT), and
    the process is killed ``KILL_GRACE`` later; ``log_file``: Scrapy logs there;
    ``capture``: keep what it prints (else it goes to this terminal, for an analyst's
    one-off crawl); ``environment``: more variables for the subprocess.
    """
    staging = Path(staging).resolve()
    (staging / spider).mkdir(parents=True, exist_ok=True)
    settings = dict(settings or {})
    if log_file:
        settings.setdefault("LOG_FILE", str(log_file))
    if timeout_seconds:
        settings.setdefault("CLOSESPIDER_TIMEOUT", str(int(timeout_seconds)))
    env = {**crawl_environment(staging, sandbox_url, spider), **(environment or {})}
    command = crawl_command(spider, run_id, settings, output)
    kill_after = timeout_seconds + KILL_GRACE if timeout_seconds else None
    try:
        done = subprocess.run(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=capture,
            text=True,
            timeout=kill_after,
        )
        returncode, stderr = done.returncode, (done.stderr or "")[-3000:]
    except subprocess.TimeoutExpired as expired:
        returncode, stderr = -9, f"killed after {expired.timeout:.0f}s"
    stats_path = staging / spider / f"{run_id}.stats.json"
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    return CrawlOutput(
        spider,
        staging / spider / f"{run_id}.jsonl",
        returncode,
        stats,
        judge_crawl(returncode, stats),
        log_file,
        stderr,
    )
