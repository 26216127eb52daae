"""A failing source fails its own task (after a retry), not the run; crawls of one source never
overlap; the run's final state, its name and the report say which sources failed."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from pipeline.db import session_factory
from pipeline.models import JobPostingRecord, PipelineRun, SourceCrawl

ECB_PATH = "/ecb_fx/stats/eurofxref/eurofxref-hist-90d.xml"


@pytest.mark.prefect
@pytest.mark.postgres
def test_a_blocked_source_fails_its_task_and_the_run_ends_partial(
    prefect_harness, postgres_url, tmp_path
):
    """On PostgreSQL, as in production (the other flow tests use SQLite)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    from flows.pipeline import secjobs_pipeline, source_limit
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    db = postgres_url
    with running_sandbox(Market(size=60), faults={ECB_PATH: "403"}) as url:
        state = secjobs_pipeline(
            spiders=["ecb_fx", "lever"],
            label="postings",
            sandbox_url=url,
            database_url=db,
            staging_dir=str(tmp_path / "staging"),
            reports_dir=str(tmp_path / "reports"),
            crawl_retries=1,
            crawl_retry_delay_seconds=0,
            return_state=True,
        )

    assert state.is_completed() and state.name == "Partial"
    assert "1 of 2 sources failed: ecb_fx: blocked" in state.message
    summary = state.result()
    assert summary["failed_sources"] == ["ecb_fx"]
    assert summary["sources"]["lever"]["status"] == "ok"
    with session_factory(db)() as session:
        assert session.scalar(sa.select(sa.func.count(JobPostingRecord.id))) > 0
        crawl = session.scalars(sa.select(SourceCrawl).where(SourceCrawl.source == "ecb_fx")).one()
        run = session.scalars(sa.select(PipelineRun)).one()
    assert crawl.status == "blocked" and "forbidden" in crawl.reason
    assert run.status == "partial"
    report = (tmp_path / "reports" / "latest" / "report.md").read_text()
    # The data-quality table names the source, its status and why.
    assert any(
        line.startswith("| ECB exchange rates | blocked |") and "forbidden" in line
        for line in report.splitlines()
    ), report

    with get_client(sync_client=True) as client:
        flow_run = client.read_flow_run(state.state_details.flow_run_id)
        # This run's task runs only: the test server is shared, and listings are paged.
        tasks = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id]))
        )
        limit = client.read_global_concurrency_limit_by_name(source_limit("lever"))
    assert flow_run.name == "postings: " + f"{summary['postings_stored']} postings stored" + (
        ", 1 failed (ecb_fx)"
    )
    ecb_runs = [t for t in tasks if t.name == "crawl-ecb_fx"]
    assert [t.state.type.value for t in ecb_runs] == ["FAILED"]
    assert ecb_runs[0].run_count == 2  # the first attempt and one retry
    assert limit.limit == 1


@pytest.mark.prefect
def test_crawls_of_one_source_never_overlap(prefect_harness, tmp_path):
    from prefect import flow

    from flows.pipeline import ensure_source_limits, run_spider
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    @flow
    def two_crawls_of_one_source(url: str):
        ensure_source_limits(["lever"])
        futures = [
            run_spider.submit("lever", run_id, str(tmp_path / "staging"), url)
            for run_id in ("a", "b")
        ]
        return [f.result() for f in futures]

    with running_sandbox(Market(size=60)) as url:
        first, second = two_crawls_of_one_source(url)

    def window(crawl):
        return (
            datetime.fromisoformat(crawl.stats["start_time"]),
            datetime.fromisoformat(crawl.stats["finish_time"]),
        )

    (start_a, end_a), (start_b, end_b) = sorted([window(first), window(second)])
    assert first.verdict.status == second.verdict.status == "ok"
    assert end_a <= start_b, "two crawls of lever ran at the same time"
