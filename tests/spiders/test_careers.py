"""Career sites: JSON-LD JobPosting pages (recorded real pages and edge cases), and a real crawl."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest
from web_poet import HttpResponse

from pipeline.postings import clean_posting
from spiders.items import PageFailure
from spiders.pages.jsonld import JsonLdJobPage, location_text, salary_from_monetary_amount
from tests.spiders.crawl import run_crawl


def page(body: str | bytes, url: str = "https://jobs.example.com/job/1") -> JsonLdJobPage:
    if isinstance(body, str):
        body = body.encode()
    return JsonLdJobPage(
        response=HttpResponse(url, body=body, headers={"Content-Type": "text/html"})
    )


def jsonld_html(*blocks) -> str:
    scripts = "".join(
        f'<script type="application/ld+json">{b if isinstance(b, str) else json.dumps(b)}</script>'
        for b in blocks
    )
    return f"<html><head>{scripts}</head><body></body></html>"


def test_recorded_workday_page(realdata):
    path = realdata / "html_jobposting" / "workday_medtronic__R62042-2_20260407_053156.html"
    url = "https://medtronic.wd1.myworkdayjobs.com/MedtronicCareers/job/R62042-2"
    [posting] = page(path.read_bytes(), url).postings()

    assert posting.jobTitle == "Financial Systems Analyst"
    assert posting.hiringOrganization.name == "MED Medtronic Inc"
    assert posting.jobPostingId == "medtronic.wd1.myworkdayjobs.com:R62042"
    assert posting.datePublished == "2026-04-02"
    assert posting.employmentType == "FULL_TIME"
    assert posting.jobLocation[0].raw == "USA-MN OHQ Corporate, United States of America"
    # No baseSalary in the JSON-LD: the pay range lives only in the description text.
    assert posting.baseSalary is None
    assert "$73,600.00 - $110,400" in posting.description


def test_recorded_neura_page_keeps_text_not_markup(realdata):
    path = realdata / "html_jobposting" / "jobseek__jsonld_neura_robotics_manager.html"
    [posting] = page(path.read_bytes()).postings()
    assert posting.jobTitle == "Manager Ecosystem Integration & Certification (Human)"
    assert posting.hiringOrganization.name == "Neura Robotics GmbH"
    assert posting.jobLocation[0].raw == "Metzingen, DE"
    assert posting.jobPostingId == "jobs.neura-robotics.com:00df0928-b013-448c-b3dd-6c6fb80eadc2"
    assert "<strong>" not in posting.description and "Your mission" in posting.description


def test_recorded_pages_without_jobposting_are_failures(realdata):
    didi = realdata / "html_jobposting" / "jobseek__didi_global_jobdetail.html"
    [failure] = page(didi.read_bytes()).postings()
    assert isinstance(failure, PageFailure) and failure.reason == "no_jsonld"
    decathlon = realdata / "html_jobposting" / "jobseek__decathlon_talentclue_jobpage.html"
    [failure] = page(decathlon.read_bytes()).postings()
    assert failure.reason == "malformed_jsonld"


def test_graph_multiple_blocks_and_broken_block():
    node = {
        "@type": "JobPosting",
        "title": "Information Security Manager",
        "hiringOrganization": {"@type": "Organization", "name": "Acme"},
        "identifier": {"@type": "PropertyValue", "value": "A-1"},
    }
    other = {"@type": ["JobPosting"], "title": "CISO", "identifier": "A-2"}
    results = page(
        jsonld_html(
            {"@type": "Organization", "name": "Acme"},
            {"@context": "https://schema.org", "@graph": [node]},
            "{broken",
            [other],
        )
    ).postings()
    kinds = [
        (type(r).__name__, getattr(r, "jobTitle", getattr(r, "reason", None))) for r in results
    ]
    assert kinds == [
        ("JobPosting", "Information Security Manager"),
        ("PageFailure", "malformed_jsonld"),
        ("JobPosting", "CISO"),
    ]


def test_parent_organization_is_kept_beside_the_hiring_organization():
    node = {
        "@type": "JobPosting",
        "title": "Information Systems Security Manager",
        "hiringOrganization": {
            "@type": "GovernmentOrganization",
            "name": "Cybersecurity and Infrastructure Security Agency",
            "parentOrganization": {"@type": "GovernmentOrganization", "name": "DHS"},
        },
    }
    self_parent = {
        "@type": "JobPosting",
        "title": "CISO",
        "hiringOrganization": {"name": "Acme", "parentOrganization": {"name": "Acme"}},
    }
    agency, acme = page(jsonld_html(node, self_parent)).postings()
    assert agency.hiringOrganization.name == "Cybersecurity and Infrastructure Security Agency"
    assert agency.hiringOrganization.parentName == "DHS"
    assert acme.hiringOrganization.parentName is None


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (
            {
                "@type": "MonetaryAmount",
                "currency": "USD",
                "value": {
                    "@type": "QuantitativeValue",
                    "minValue": 140000,
                    "maxValue": 180000,
                    "unitText": "YEAR",
                },
            },
            (140000, 180000, "YEAR", "USD"),
        ),
        (
            {"currency": "usd", "value": {"value": "65.50", "unitText": "HOUR"}},
            (65.5, 65.5, "HOUR", "USD"),
        ),
        # unitText beside the value instead of inside it, value a bare number
        ({"currency": "EUR", "value": 90000, "unitText": "YEAR"}, (90000, 90000, "YEAR", "EUR")),
        (
            {"currency": "$", "minValue": "120,000", "maxValue": "150,000"},
            (120000, 150000, None, None),
        ),
    ],
)
def test_monetary_amount_shapes(amount, expected):
    salary = salary_from_monetary_amount(amount)
    assert (salary.valueMin, salary.valueMax, salary.rateType, salary.currency) == expected
    assert json.loads(salary.raw) == amount  # the raw value is kept


def test_a_base_salary_without_amounts_is_no_pay():
    node = {
        "@type": "JobPosting",
        "title": "Security Manager",
        "url": "https://x.example/1",
        "baseSalary": {"@type": "MonetaryAmount", "currency": "USD", "value": {"unitText": "YEAR"}},
    }
    [posting] = page(jsonld_html(node)).postings()
    assert (posting.baseSalary, posting.payOrigin) == (None, None)


def test_pay_written_in_salary_currency_is_read_as_pay_text():
    # A non-standard page: the range where the currency code goes, no amounts.
    stated = "USD $150,000.00 - USD $165,000.00 /Yr."
    node = {
        "@type": "JobPosting",
        "title": "Security Manager",
        "url": "https://x.example/1",
        "baseSalary": {"@type": "MonetaryAmount", "currency": "USD", "value": {"unitText": "YEAR"}},
        "salaryCurrency": stated,
    }
    [posting] = page(jsonld_html(node)).postings()
    assert (posting.baseSalary.raw, posting.baseSalary.valueMin, posting.payOrigin) == (
        stated,
        None,
        "posted",
    )
    row = clean_posting({**asdict(posting), "source": "careers", "kind": "job_posting"})
    assert (row["pay_min"], row["pay_max"], row["pay_currency"], row["pay_period"]) == (
        150_000,
        165_000,
        "USD",
        "year",
    )
    assert row["pay_origin"] == "posted"


def test_estimated_salary_is_marked_as_estimate():
    node = {
        "@type": "JobPosting",
        "title": "Security Manager",
        "url": "https://x.example/1",
        "estimatedSalary": {"currency": "USD", "value": {"minValue": 1, "maxValue": 2}},
    }
    [posting] = page(jsonld_html(node)).postings()
    assert posting.payOrigin == "estimate"


def test_remote_and_location_shapes():
    node = {
        "@type": "JobPosting",
        "title": "Security Manager",
        "jobLocationType": "TELECOMMUTE",
        "jobLocation": [
            {
                "address": {
                    "addressLocality": "Austin",
                    "addressRegion": "TX",
                    "addressCountry": {"@type": "Country", "name": "US"},
                }
            },
            "Remote, US",
        ],
    }
    [posting] = page(jsonld_html(node)).postings()
    assert [loc.raw for loc in posting.jobLocation] == ["Austin, TX, US", "Remote, US"]
    assert posting.remoteStatus == "remote"
    assert location_text(None) is None


def test_crawl_sandbox_careers(sandbox_url, tmp_path, realdata):
    """A real `scrapy crawl careers`: sitemap index -> sitemap -> job pages."""
    result = run_crawl("careers", sandbox_url, tmp_path)

    assert result.returncode == 0, result.log_tail
    by_id = {i["jobPostingId"]: i for i in result.items}
    medtronic = by_id["127.0.0.1:R62042"]
    assert medtronic["jobTitle"] == "Financial Systems Analyst"
    generated = [i for i in result.items if i["url"].endswith(".careers.example/jobs/1")]
    assert len(generated) == 1 and generated[0]["source"] == "careers"
    assert {f["reason"] for f in result.failures} == {"no_jsonld", "malformed_jsonld"}
    assert result.stats["secjobs/items/page_failure"] == 2
    assert all(isinstance(i["jobTitle"], str) and i["jobTitle"] for i in result.items)
