"""Every crawl queues its requests on disk: without a JOBDIR of the user's, a crawl gets a
temporary one, removed when it closes; a JOBDIR the user names is kept for resuming; those
of crawls killed or given up on go after a week."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sandbox.generator import Market
from sandbox.server import running_sandbox
from spiders.jobdirs import JOBS, prune_stale
from tests.spiders.crawl import run_crawl


def test_a_crawl_without_jobdir_queues_on_disk_and_leaves_nothing(tmp_path):
    staging = tmp_path / "staging"
    with running_sandbox(Market(size=120)) as url:
        result = run_crawl("careers", url, staging)
    assert result.returncode == 0, result.log_tail
    assert len(result.items) > 20
    assert result.stats["scheduler/enqueued/disk"] > 20
    assert "scheduler/enqueued/memory" not in result.stats
    jobs = staging / ".jobs"
    assert jobs.is_dir() and not any(jobs.iterdir())  # made for the crawl, gone after it


def test_jobdir_named_by_the_user_is_kept_and_an_empty_one_means_memory(tmp_path):
    kept = tmp_path / "job"
    with running_sandbox(Market(size=120)) as url:
        named = run_crawl("careers", url, tmp_path / "a", f"JOBDIR={kept}")
        memory = run_crawl("careers", url, tmp_path / "b", "JOBDIR=")
    assert named.returncode == 0 and memory.returncode == 0, memory.log_tail
    assert named.stats["scheduler/enqueued/disk"] > 20
    assert (kept / "requests.seen").exists()
    assert memory.stats["scheduler/enqueued/memory"] > 20
    assert "scheduler/enqueued/disk" not in memory.stats


def test_job_directories_untouched_for_a_week_are_pruned(tmp_path):
    jobs = tmp_path / JOBS
    now = time.time()

    def jobdir(relative: str, age_days: float, newest_file_days: float | None = None) -> Path:
        path = jobs / relative
        (path / "requests.queue").mkdir(parents=True)
        seen = path / "requests.seen"
        seen.write_text("0" * 40 + "\n")
        for p in (path / "requests.queue", path, seen):
            then = now - age_days * 86_400
            os.utime(p, (then, then))
        if newest_file_days is not None:  # a running crawl appends to its files
            then = now - newest_file_days * 86_400
            os.utime(seen, (then, then))
        return path

    dead_flow_crawl = jobdir("careers/20261101T000000Z", 20)
    live_flow_crawl = jobdir("careers/20261126T000000Z", 0.1)
    running_long = jobdir("lever/20261118T000000Z", 8, newest_file_days=0.01)
    dead_temporary = jobdir("scrapy-123-abcdef", 9)
    live_temporary = jobdir("scrapy-456-abcdef", 1)
    only_dead = jobdir("ashby/20261001T000000Z", 50)
    (jobs / "notes.txt").write_text("not a job directory")

    assert prune_stale(tmp_path, now=now) == 3
    assert not dead_flow_crawl.exists() and not dead_temporary.exists()
    assert live_flow_crawl.exists() and running_long.exists() and live_temporary.exists()
    assert not only_dead.parent.exists()  # its spider's folder was left empty
    assert (jobs / "notes.txt").exists()
    assert prune_stale(tmp_path / "nothing-here") == 0


def test_each_crawler_gets_its_own_temporary_jobdir_unless_one_is_named(tmp_path):
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from spiders.jobdirs import TemporaryJobDirAddon

    def settings_of(**settings) -> dict:
        addon = {"ADDONS": {TemporaryJobDirAddon: 0}, "STAGING_DIR": str(tmp_path)}
        crawler = get_crawler(Spider, {**addon, **settings})
        return {key: crawler.settings.get(key) for key in ("JOBDIR", "TEMPORARY_JOBDIR")}

    first, second = settings_of(), settings_of()  # two crawls in one process
    assert first["JOBDIR"] != second["JOBDIR"]
    for settings in (first, second):
        assert settings["JOBDIR"] == settings["TEMPORARY_JOBDIR"]
        assert Path(settings["JOBDIR"]).parent == tmp_path / JOBS
    assert settings_of(JOBDIR="") == {"JOBDIR": "", "TEMPORARY_JOBDIR": None}
    named = str(tmp_path / "mine")
    assert settings_of(JOBDIR=named) == {"JOBDIR": named, "TEMPORARY_JOBDIR": None}
