"""Every crawl queues its requests on disk: without a JOBDIR of the user's, a crawl gets a
temporary one, removed when it closes; a JOBDIR the user names is kept for resuming."""

from __future__ import annotations

from sandbox.generator import Market
from sandbox.server import running_sandbox
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
