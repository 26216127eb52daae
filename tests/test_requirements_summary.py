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
