"""Postings read by an older requirements extractor are read again from their stored text."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from pipeline.db import session_factory, upgrade
from pipeline.models import JobPostingRecord
from pipeline.postings import clean_posting
from pipeline.rederive import count_stale, rederive_requirements, rederive_titles
from pipeline.requirements import REQUIREMENTS_VERSION
from pipeline.store import upsert_postings

# GitLab's equal-opportunity statement (the recorded board the sandbox serves): version 1
# read "promotion" as the German word for a doctorate.
EEO = (
    "GitLab is proud to be an equal opportunity workplace. Policies relating to recruitment, "
    "employment, career development and advancement, promotion, and retirement are based "
    "solely on merit."
)
OLD_READING = {
    "certifications": [],
    "degree": "doctorate",
    "degree_required": True,
    "equivalent_experience_ok": False,
    "years_experience": None,
}


def test_rows_of_the_old_extractor_are_read_again_once(database_url):
    upgrade(database_url)
    rows = [
        clean_posting(
            {
                "kind": "job_posting",
                "source": "greenhouse",
                "url": f"https://job-boards.greenhouse.io/gitlab/jobs/{n}",
                "jobPostingId": str(n),
                "jobTitle": "Security Manager",
                "description": f"Bachelor's degree required. {EEO}",
            }
        )
        for n in range(3)
    ]
    with session_factory(database_url).begin() as session:
        upsert_postings(session, rows, "r1", datetime(2026, 12, 1, tzinfo=UTC))
        session.execute(  # two stored the old way
            sa.update(JobPostingRecord)
            .where(JobPostingRecord.source_id.in_(["0", "1"]))
            .values(requirements=OLD_READING)
        )
    with session_factory(database_url).begin() as session:
        assert count_stale(session) == 2
        seen = []
        assert rederive_requirements(session, seen.append) == 2
        assert seen == [2]
    with session_factory(database_url)() as session:
        stored = session.scalars(sa.select(JobPostingRecord.requirements)).all()
        assert count_stale(session) == 0
    assert {(r["degree"], r["degree_minimum"], r["version"]) for r in stored} == {
        ("bachelor", "bachelor", REQUIREMENTS_VERSION)
    }
    with session_factory(database_url).begin() as session:
        assert rederive_requirements(session) == 0  # nothing left to read


def _posting(n: int, title: str) -> dict:
    return clean_posting(
        {
            "kind": "job_posting",
            "source": "greenhouse",
            "url": f"https://job-boards.greenhouse.io/acme/jobs/{n}",
            "jobPostingId": str(n),
            "jobTitle": title,
        }
    )


def test_titles_are_classified_again_and_only_changed_rows_are_written(database_url):
    """A posting stored (and since closed) before a title rule changed counts in the report's
    history as the rule now reads it."""
    upgrade(database_url)
    titles = [
        "Cyber Defense Site Leader, SOC",  # security_manager since issue #20's second round
        "Information Security Manager",
        "Account Executive, Cyber Security",  # a seller, not an executive
    ]
    rows = [_posting(n, title) for n, title in enumerate(titles)]
    with session_factory(database_url).begin() as session:
        upsert_postings(session, rows, "r1", datetime(2026, 12, 1, tzinfo=UTC))
        for source_id, (family, seniority, soc) in {  # what the old rules stored
            "0": ("security_ic", "mid", "15-1212"),
            "2": ("security_other_manager", "director", None),
        }.items():
            session.execute(
                sa.update(JobPostingRecord)
                .where(JobPostingRecord.source_id == source_id)
                .values(title_family=family, seniority=seniority, soc_code=soc)
            )
    with session_factory(database_url).begin() as session:
        seen = []
        assert rederive_titles(session, seen.append) == 2
        assert seen == [3]
    with session_factory(database_url)() as session:
        stored = session.execute(
            sa.select(
                JobPostingRecord.source_id,
                JobPostingRecord.title_family,
                JobPostingRecord.seniority,
                JobPostingRecord.soc_code,
            ).order_by(JobPostingRecord.source_id)
        ).all()
    assert [tuple(row) for row in stored] == [
        ("0", "security_manager", "manager", "11-3021"),
        ("1", "security_manager", "manager", "11-3021"),
        ("2", "other", "mid", None),
    ]
    with session_factory(database_url).begin() as session:
        assert rederive_titles(session) == 0  # nothing left to change
