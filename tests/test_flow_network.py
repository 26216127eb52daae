"""The flow without a network: it stops within a minute saying so, instead of retrying every
crawl; a single unreachable source fails its own task (retried, no traceback) with the cause
in words, and the run goes on. Only 127.0.0.1 and ``.invalid`` names are ever asked."""

from __future__ import annotations

import logging
import socket
import time

import pytest
import sqlalchemy as sa

from pipeline.db import session_factory
from pipeline.models import PipelineRun, SourceCrawl
from spiders.reach import NoNetwork


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.prefect
def test_no_network_stops_the_run_within_a_minute(prefect_harness, tmp_path):
    from flows.pipeline import secjobs_pipeline

    db = f"sqlite:///{tmp_path / 'secjobs.db'}"
    started = time.monotonic()
    with pytest.raises(NoNetwork) as raised:
        secjobs_pipeline(
            spiders=["greenhouse", "lever", "comparably"],
            label="postings",
            # Every source sent to a closed port, Greenhouse to a name that does not resolve;
            # the default retries (two, a minute apart) would take minutes if they ran.
            sandbox_url=f"http://127.0.0.1:{closed_port()}",
            crawl_settings={"GREENHOUSE_BASE_URL": "http://nosuchhost.invalid"},
            database_url=db,
            staging_dir=str(tmp_path / "staging"),
            reports_dir=str(tmp_path / "reports"),
        )
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"took {elapsed:.0f} s"
    assert str(raised.value) == "no network: none of the 2 source hosts could be reached"
    with session_factory(db)() as session:
        run = session.scalars(sa.select(PipelineRun)).one()
        crawls = session.scalar(sa.select(sa.func.count(SourceCrawl.id)))
    assert run.status == "failed" and run.finished_at is not None
    assert run.counts == {"error": str(raised.value)}
    assert crawls == 0  # nothing was crawled
    assert not (tmp_path / "staging" / "greenhouse").exists()


class Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.mark.prefect
def test_an_unreachable_source_is_retried_and_fails_without_a_traceback(prefect_harness, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    from flows.pipeline import secjobs_pipeline
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    port = closed_port()
    records = Records()
    logging.getLogger().addHandler(records)  # where Prefect's console handler sits too
    try:
        with running_sandbox(Market(size=60)) as url:
            state = secjobs_pipeline(
                spiders=["ecb_fx", "lever"],
                label="postings",
                sandbox_url=url,
                crawl_settings={
                    "ECB_FX_BASE_URL": f"http://127.0.0.1:{port}",
                    "RETRY_TIMES": "0",
                },
                database_url=f"sqlite:///{tmp_path / 'secjobs.db'}",
                staging_dir=str(tmp_path / "staging"),
                reports_dir=str(tmp_path / "reports"),
                make_report=False,
                crawl_retries=1,
                crawl_retry_delay_seconds=0,
                return_state=True,
            )
    finally:
        logging.getLogger().removeHandler(records)

    reason = f"connection refused by 127.0.0.1:{port}"
    assert state.is_completed() and state.name == "Partial"
    assert state.message == f"1 of 2 sources failed: ecb_fx: failed ({reason})"
    summary = state.result()
    assert summary["failed_sources"] == ["ecb_fx"]
    assert summary["sources"]["ecb_fx"] == {"status": "failed", "items": 0, "reason": reason}
    assert summary["sources"]["lever"]["status"] == "ok"

    with get_client(sync_client=True) as client:
        tasks = client.read_task_runs(
            flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[state.state_details.flow_run_id])
            )
        )
    ecb = [t for t in tasks if t.name == "crawl-ecb_fx"]
    assert [t.state.type.value for t in ecb] == ["FAILED"]
    assert ecb[0].run_count == 2  # the first attempt and its retry
    assert ecb[0].state.message == f"ecb_fx failed: {reason}"

    # What the terminal shows is these records, formatted: the reason, and no traceback.
    shown = "\n".join(logging.Formatter().format(r) for r in records.records)
    assert reason in shown
    assert "Traceback" not in shown, shown
    assert "NoneType: None" not in shown, shown  # no empty traceback under "Retries exhausted"
    assert not [r for r in records.records if r.exc_info and r.exc_info[0] is not None]
