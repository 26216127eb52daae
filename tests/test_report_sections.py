"""The report built from fixed databases, byte for byte against golden copies.

The golden copies (tests/data/report_golden/<scenario>/) were written by the report code as it
stood before it was split into one module per section (issue #18): the split changed nothing
a reader sees. Each scenario is a database that leaves some sections empty, so every "why is
this empty" message is compared too.

After a change that is meant to alter the report, rewrite them with
``SECJOBS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_report_sections.py`` and review the diff.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from dashboards.report import build_report
from pipeline.baselines import load_baselines
from pipeline.db import session_factory, upgrade
from pipeline.models import PipelineRun, PriceIndex, SalaryObservation
from pipeline.store import record_crawl, sync_baselines
from tests.test_report import CPI_LATEST, NOW, R1_START, _posting, seed_market

GOLDEN = Path(__file__).parent / "data" / "report_golden"
UPDATE = os.environ.get("SECJOBS_UPDATE_GOLDEN") == "1"


def _run(session, origin: str = "live") -> None:
    session.add(
        PipelineRun(
            run_id="r1",
            started_at=R1_START,
            finished_at=R1_START + timedelta(minutes=5),
            status="completed",
            counts={"postings_stored": 2},
            origin=origin,
        )
    )
    session.flush()


def _empty(url: str) -> None:
    """Nothing stored: every section says why it is empty."""
    upgrade(url)


def _unclassified(url: str) -> None:
    """Postings not classified by title family yet; CPI-U stored but not January 2022; one
    source's US figure without its San Francisco one."""
    upgrade(url)
    with session_factory(url).begin() as session:
        sync_baselines(session, load_baselines())
        _run(session)
        record_crawl(session, "r1", "greenhouse", "ok", None, 2, {})
        session.add_all(
            [
                _posting(1, pay=(150_000, 170_000), title_family=None),
                _posting(2, pay=(110_000, 130_000), title_family=""),
                PriceIndex(series_id="CUUR0000SA0", period=date(2026, 4, 1), value=CPI_LATEST),
                SalaryObservation(
                    source="comparably",
                    role_query="cybersecurity manager",
                    geography="US",
                    metric="average",
                    value=131_000,
                    currency="USD",
                    period="year",
                    observed_on=date(2026, 1, 10),
                    url="https://example.com/comparably",
                ),
            ]
        )


def _no_security_managers(url: str) -> None:
    """Classified postings, none of them an open security-manager one; no CPI-U."""
    upgrade(url)
    with session_factory(url).begin() as session:
        sync_baselines(session, load_baselines())
        _run(session)
        session.add_all(
            [
                _posting(1, pay=(150_000, 170_000), title_family="software_engineer"),
                _posting(2, pay=(120_000, 140_000), status="closed", closed_at=NOW),
            ]
        )


def _no_usable_pay(url: str) -> None:
    """Open security-manager postings without usable pay or extracted requirements, in a
    sandbox database."""
    upgrade(url)
    with session_factory(url).begin() as session:
        sync_baselines(session, load_baselines())
        _run(session, origin="sandbox")
        session.add_all(
            [
                _posting(1),
                _posting(2, pay=(150_000, 170_000), pay_origin="estimate"),
                _posting(3, pay=(10, 20), pay_flag="implausible_annual"),
                _posting(4, pay=(150_000, 170_000), pay_origin="parsed", cluster_id="c"),
                _posting(5, pay=(150_000, 170_000), pay_origin="parsed", cluster_id="c"),
            ]
        )


def _us_only(url: str) -> None:
    """Usable pay in the US, none in San Francisco; requirements extracted."""
    upgrade(url)
    with session_factory(url).begin() as session:
        sync_baselines(session, load_baselines())
        _run(session)
        session.add_all(
            [
                _posting(1, pay=(150_000, 170_000), requirements={"certifications": ["CISM"]}),
                _posting(2, pay=(130_000, None), company=None, requirements={"degree": "BS"}),
                _posting(
                    3,
                    pay=(None, 90_000),
                    metro_code="12420",
                    country=None,
                    # As the extractor stores it since version 3: how each is asked for.
                    requirements={
                        "certifications": ["CISA", "CISM", "CISSP"],
                        "certification_classes": {
                            "CISA": "one_of",
                            "CISM": "one_of",
                            "CISSP": "required",
                        },
                        "degree": "master",
                        "degree_minimum": "bachelor",
                        "structure": "marked",
                        "version": 3,
                    },
                ),
            ]
        )


SCENARIOS = {
    "market": (seed_market, False),
    "market-parsed": (seed_market, True),
    "empty": (_empty, False),
    "unclassified": (_unclassified, False),
    "no-security-managers": (_no_security_managers, False),
    "no-usable-pay": (_no_usable_pay, False),
    "no-usable-pay-parsed": (_no_usable_pay, True),
    "us-only": (_us_only, False),
}


def _report_files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_report_matches_its_golden_copy(scenario, sqlite_url, tmp_path):
    seed, include_parsed = SCENARIOS[scenario]
    seed(sqlite_url)
    paths, _, _ = build_report(
        sqlite_url, tmp_path / "reports", include_parsed=include_parsed, now=NOW
    )
    built = {
        name: content
        for name, content in _report_files(paths.directory).items()
        if name.endswith(".csv") or name == "report.md"
    }
    golden = GOLDEN / scenario
    if UPDATE:
        golden.mkdir(parents=True, exist_ok=True)
        for old in golden.iterdir():
            old.unlink()
        for name, content in built.items():
            (golden / name).write_bytes(content)
    expected = _report_files(golden)
    assert sorted(built) == sorted(expected)
    for name, content in built.items():
        assert content == expected[name], f"{scenario}/{name} differs from its golden copy"
