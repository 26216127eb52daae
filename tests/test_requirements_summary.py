"""The report's requirement shares (dashboards.requirements) from stored requirement rows."""

from __future__ import annotations

from dashboards.requirements import summarize, summarize_counted
from pipeline.requirements import extract_requirements


def _degree_shares(summary):
    return {
        share.label: (share.count, share.required, share.preferred) for share in summary.degrees
    }


def _master_essential(summary):
    (claim,) = [c for c in summary.claims if c.claim == "A master's degree is essential"]
    return claim.share.count


def _row(degree, required, minimum, accepted=()):
    """A row as version 2 of the extractor stores it."""
    return {
        "degree": degree,
        "degree_required": required,
        "degree_minimum": minimum,
        "degrees_accepted": list(accepted),
        "version": 2,
    }


def test_version_2_rows_count_by_the_minimum_required():
    rows = [
        _row("bachelor", True, "bachelor", ["master"]),  # "BS/MS in CS"
        _row("master", False, "bachelor"),  # "Bachelor's required, Master's preferred"
        _row("master", True, "master", ["doctorate"]),  # "Master's or PhD required"
        _row("bachelor", False, "none", ["master"]),  # only under "Preferred qualifications"
        _row("none", False, "none"),
    ]
    summary = summarize(rows)
    assert _degree_shares(summary) == {
        "Bachelor's or higher": (4, 3, 1),
        "Master's or higher": (2, 1, 1),
    }
    assert _master_essential(summary) == 1


def test_older_rows_keep_the_older_reading():
    # Version 1 rows have no degree_minimum: their degree is required when degree_required.
    rows = [
        {"degree": "master", "degree_required": False},  # bachelor counted as preferred
        {"degree": "Master's", "degree_required": True},
        {"degree": "PhD"},
        {"degree": "bachelor", "degree_required": True},
    ]
    summary = summarize(rows)
    assert _degree_shares(summary) == {
        "Bachelor's or higher": (4, 2, 2),
        "Master's or higher": (3, 1, 2),
    }
    assert _master_essential(summary) == 1


def test_old_and_new_rows_together_with_counts():
    new = {"degree": "master", "degree_required": False, "degree_minimum": "bachelor"}
    old = {"degree": "master", "degree_required": True}
    summary = summarize_counted([(new, 3), (old, 2), (None, 5)])
    assert (summary.postings, summary.analysed) == (10, 5)
    assert _degree_shares(summary) == {
        "Bachelor's or higher": (5, 5, 0),  # the new rows require a bachelor's
        "Master's or higher": (5, 2, 3),
    }
    assert _master_essential(summary) == 2


def test_rows_as_the_cleaning_step_stores_them():
    # Real sentences (bsdevda cyber-job-radar security_jobs.json): Databricks's "MS or Ph.D."
    # requires a master's, Okta's "Undergraduate and/or Masters Degree" a bachelor's, and
    # GitLab's equal-opportunity statement nothing (the old extractor read a doctorate).
    rows = [
        extract_requirements(text).as_dict()
        for text in (
            "MS or Ph.D. in Computer Science or related fields",
            "Education: An Undergraduate and/or Masters Degree in Computer Science, Engineering, "
            "Information Systems or a related technical field.",
            "GitLab’s policies and practices relating to recruitment, employment, career "
            "development and advancement, promotion, and retirement are based solely on merit",
        )
    ]
    summary = summarize(rows)
    assert _degree_shares(summary) == {
        "Bachelor's or higher": (2, 2, 0),
        "Master's or higher": (1, 1, 0),
    }
    assert _master_essential(summary) == 1


def test_how_postings_ask_with_intervals():
    v3 = {"version": 3, "structure": "marked"}
    docs = [
        # 3 postings ask CISSP outright, 1 as one of CISSP/CISM, 1 prefers it; 1 older row.
        *[{**v3, "certifications": ["CISSP"], "certification_classes": {"CISSP": "required"}}] * 3,
        {
            **v3,
            "structure": "lines",
            "certifications": ["CISM", "CISSP"],
            "certification_classes": {"CISM": "one_of", "CISSP": "one_of"},
            "degree": "master",
            "degree_minimum": "bachelor",
        },
        {
            **v3,
            "structure": "flat",
            "certifications": ["CISSP"],
            "certification_classes": {"CISSP": "preferred"},
        },
        {"certifications": ["CISSP"], "degree": "master", "degree_required": True},
    ]
    summary = summarize(docs)
    assert summary.classified == 5
    assert summary.structure == {"marked": 3, "lines": 1, "flat": 1, "unknown": 1}
    rows = {row.label: row for row in summary.asked_how}
    assert list(rows) == [
        "CISSP or ISSMP",
        "Bachelor's or higher",
        "Master's or higher",
        "CISSP",
        "CISM",
        "ISSMP",
    ]
    cissp = rows["CISSP"]
    assert (cissp.required.count, cissp.one_of.count, cissp.preferred.count) == (3, 1, 1)
    assert cissp.required.total == 5
    low, high = cissp.required.interval  # Wilson, 3 of 5
    assert (round(low, 1), round(high, 1)) == (23.1, 88.2)
    assert rows["CISSP or ISSMP"].required.count == 3
    master = rows["Master's or higher"]
    assert (master.required.count, master.one_of, master.preferred.count) == (0, None, 1)
    assert rows["Bachelor's or higher"].required.count == 1
    assert summarize([{"certifications": ["CISSP"]}]).asked_how == []
