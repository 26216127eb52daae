"""Near-duplicate postings across boards become one group with a stable id."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dedupe import assign_clusters, cluster_id

# A real security posting's description (bsdevda/cyber-job-radar, MIT) cut to 120 words.
REAL = None


def real_description(realdata) -> str:
    jobs = json.loads(
        (realdata / "salary_strings" / "bsdevda_cyber-job-radar__security_jobs.json").read_text()
    )
    return " ".join(jobs[0]["description"].split()[:400]), " ".join(
        jobs[3]["description"].split()[:400]
    )


def posting(source, source_id, **fields):
    return {"source": source, "source_id": source_id, **fields}


def test_same_job_on_two_boards_and_a_repost(realdata):
    text, other = real_description(realdata)
    postings = [
        posting(
            "greenhouse",
            "4502508008",
            company="Anthropic",
            title="Staff+ AppSec Engineer",
            description=text,
            url="https://job-boards.greenhouse.io/anthropic/jobs/4502508008",
        ),
        # the same text syndicated with a tracking footer, a different title and board
        posting(
            "linkedin",
            "99",
            company="Anthropic, Inc.",
            title="Staff Application Security",
            description=text + " Apply via LinkedIn today.",
            url="https://linkedin.com/j/99",
        ),
        # re-posted under a new id: same company, title, location
        posting(
            "greenhouse",
            "5000000000",
            company="Anthropic",
            title="Staff+ AppSec Engineer",
            location_raw="San Francisco, CA",
            description="short",
        ),
        posting(
            "greenhouse",
            "4000000000",
            company="ANTHROPIC",
            title="Staff+ AppSec Engineer!",
            location_raw="San Francisco,  CA",
        ),
        posting(
            "greenhouse",
            "77",
            company="Other Co",
            title="Product Security Engineer",
            description=other,
        ),
    ]
    clusters = assign_clusters(postings)
    assert clusters[("greenhouse", "4502508008")] == clusters[("linkedin", "99")]
    assert clusters[("greenhouse", "5000000000")] == clusters[("greenhouse", "4000000000")]
    assert clusters[("greenhouse", "77")] == cluster_id(("greenhouse", "77"))
    assert len(set(clusters.values())) == 3
    # the id is the smallest member key's hash
    assert clusters[("linkedin", "99")] == cluster_id(("greenhouse", "4502508008"))


def test_equal_urls_are_one_job():
    clusters = assign_clusters(
        [
            posting("a", "1", url="https://x.io/jobs/1?utm=a"),
            posting("b", "2", url="https://x.io/jobs/1"),
        ]
    )
    assert clusters[("a", "1")] == clusters[("b", "2")]


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(6)))
def test_ids_do_not_depend_on_input_order(order):
    base = [
        posting("s", str(i), company=f"c{i % 2}", title="Security Manager", location_raw="Remote")
        for i in range(6)
    ]
    expected = assign_clusters(base)
    assert assign_clusters([base[i] for i in order]) == expected
    assert len(set(expected.values())) == 2


def test_a_federal_job_matches_under_its_agency_or_its_department(realdata):
    text, _ = real_description(realdata)
    agency = {
        "company": "Cybersecurity and Infrastructure Security Agency",
        "company_parent": "Department of Homeland Security",
    }
    job = {"title": "IT Cybersecurity Specialist (INFOSEC)", "city": "Arlington", "state": "VA"}
    clusters = assign_clusters(
        [
            posting("usajobs", "1", **agency, **job),
            # An aggregator names the department: same title and place, so the same job.
            posting("adzuna", "9", company="Department of Homeland Security", **job),
            # The same text under the department and under an abbreviation it cannot know.
            posting("usajobs", "2", **agency, title="Security Manager", description=text),
            posting("adzuna", "8", company="CISA", title="Security Mgr", description=text),
            posting(
                "adzuna",
                "7",
                company="Department of Homeland Security",
                title="Security Mgr",
                description=text,
            ),
            # Another department's job with the same title and place is another job.
            posting("adzuna", "6", company="Department of Defense", **job),
        ]
    )
    assert clusters[("usajobs", "1")] == clusters[("adzuna", "9")]
    assert clusters[("usajobs", "2")] == clusters[("adzuna", "7")]
    assert clusters[("adzuna", "8")] != clusters[("usajobs", "2")]  # "CISA" is not matched
    assert clusters[("adzuna", "6")] != clusters[("usajobs", "1")]
    # Two agencies of one department post the same title in one place: two jobs.
    tsa = {"company": "Transportation Security Administration"}
    siblings = assign_clusters(
        [
            posting("usajobs", "1", **agency, **job),
            posting("usajobs", "3", **tsa, company_parent=agency["company_parent"], **job),
            posting("adzuna", "5", **tsa, **job),
        ]
    )
    assert siblings[("usajobs", "3")] == siblings[("adzuna", "5")] != siblings[("usajobs", "1")]


def test_sibling_openings_on_one_board_stay_apart_reposts_do_not(realdata):
    """Two open requisitions with one title on one board share a template, not the text."""
    text, _ = real_description(realdata)
    words = text.split()
    # The same template with the second half rewritten: similar, far from identical.
    sibling = " ".join(
        words[:150] + ["Team:", "detection", "and", "response"] + list(reversed(words[150:]))
    )
    postings = [
        posting(
            "greenhouse",
            "1",
            company="Acme",
            title="Security Manager",
            location_raw="Austin, TX",
            description=text,
        ),
        posting(
            "greenhouse",
            "2",
            company="Acme",
            title="Security Manager",
            location_raw="Austin, TX",
            description=sibling,
        ),
        posting(
            "greenhouse",
            "3",
            company="Acme",
            title="Security Manager",
            location_raw="Austin, TX",
            description=text + " Reposted.",
        ),
    ]
    clusters = assign_clusters(postings)
    assert clusters[("greenhouse", "1")] != clusters[("greenhouse", "2")]
    assert clusters[("greenhouse", "1")] == clusters[("greenhouse", "3")]


def test_different_cities_or_pay_are_never_one_job_even_through_a_chain(realdata):
    text, _ = real_description(realdata)
    common = {"company": "Acme", "title": "Security Manager", "description": text}
    postings = [
        posting(
            "greenhouse",
            "1",
            city="Austin",
            state="TX",
            annual_min_usd=150_000,
            annual_max_usd=180_000,
            **common,
        ),
        posting("lever", "2", city="Denver", state="CO", **common),  # same template, other city
        posting("adzuna", "3", **common),  # no place, no pay: could bridge the two above
        posting(
            "remotive",
            "4",
            city="Austin",
            state="TX",
            annual_min_usd=120_000,
            annual_max_usd=140_000,
            **common,
        ),  # same city, other pay
        posting(
            "careers",
            "5",
            city="Austin",
            state="TX",
            annual_min_usd=150_000,
            annual_max_usd=180_000,
            **common,
        ),  # the first one, cross-posted
    ]
    clusters = assign_clusters(postings)
    assert clusters[("greenhouse", "1")] == clusters[("careers", "5")]
    assert clusters[("greenhouse", "1")] != clusters[("lever", "2")]
    assert clusters[("greenhouse", "1")] != clusters[("remotive", "4")]
    assert clusters[("lever", "2")] != clusters[("remotive", "4")]
