"""A demo, then a live run whose salary page cannot be reached, then the live report: the
sandbox's generated Comparably figure never reaches the live database or its report (on
SQLite and PostgreSQL)."""

from __future__ import annotations

import socket

import pytest
import sqlalchemy as sa

from pipeline.db import session_factory
from pipeline.models import PipelineRun, SalaryObservation
from pipeline.origin import MixedOrigins
from spiders.reach import NoNetwork


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.prefect
def test_a_demo_then_a_live_run_never_mix(prefect_harness, database_url, tmp_path, monkeypatch):
    from dashboards.report import build_report
    from flows.pipeline import secjobs_pipeline
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    for name in ("SECJOBS_DATABASE_URL", "SECJOBS_SANDBOX_DATABASE_URL", "SECJOBS_SANDBOX_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECJOBS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SECJOBS_REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setenv("SECJOBS_HTTPCACHE_DIR", str(tmp_path / "httpcache"))
    monkeypatch.setenv("SECJOBS_SANDBOX_DATABASE_URL", database_url)  # the demo's database
    common = {"spiders": ["comparably"], "crawl_retries": 0, "crawl_retry_delay_seconds": 0}

    # make demo: the sandbox's Comparably page, stored into the sandbox database.
    with running_sandbox(Market(size=24)) as url:
        secjobs_pipeline(sandbox_url=url, **common)
    with session_factory(database_url)() as session:
        demo = session.execute(
            sa.select(SalaryObservation.value, SalaryObservation.origin).where(
                SalaryObservation.source == "comparably",
                SalaryObservation.metric == "average",
                SalaryObservation.geography == "US",
            )
        ).all()
    assert [origin for _value, origin in demo] == ["sandbox"]
    generated = demo[0][0]
    assert (tmp_path / "reports" / "sandbox" / "latest" / "index.html").exists()
    assert not (tmp_path / "reports" / "latest").exists()

    # A live run pointed at the sandbox's database by mistake is refused before it crawls.
    with pytest.raises(MixedOrigins, match="refusing to store live data in"):
        secjobs_pipeline(database_url=database_url, **common)
    with session_factory(database_url)() as session:
        assert session.scalars(sa.select(PipelineRun.origin)).all() == ["sandbox"]

    # A live run whose salary page cannot be reached: its own database, nothing stored.
    unreachable = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(NoNetwork):
        secjobs_pipeline(crawl_settings={"COMPARABLY_BASE_URL": unreachable}, **common)
    live_db = f"sqlite:///{tmp_path / 'data' / 'secjobs.db'}"
    paths, markdown, rows = build_report(live_db, tmp_path / "reports")
    comparably = {
        (row["metric"], row["geography"]): (row["live_usd"], row["status"], row["data_origin"])
        for row in rows
        if row["source"] == "comparably"
    }
    assert comparably[("average", "US")] == ("", "no live data yet", "live")
    assert ("average", "San Francisco, CA") in comparably
    assert all(value == "" and status != "live" for value, status, _ in comparably.values())
    assert str(int(generated)) not in paths.csv.read_text()
    assert "Sandbox data" not in markdown and "Sandbox data" not in paths.html.read_text()
