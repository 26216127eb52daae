"""Descriptions as sections: real HTML from the ATS recordings, plain text, and hostile markup."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.sections import (
    KINDS,
    Section,
    classify_heading,
    description_text,
    field_section,
    outline,
    render,
    sections_from_html,
    sections_from_text,
    without_kinds,
)

GITLAB = "api_json/midat-fx__sample_greenhouse_gitlab.json"  # MIT
LINEAR = "api_json/midat-fx__sample_ashby_linear.json"  # MIT
GDIT = "api_json/lubobali_aws-job-streamer__workday_gdit_job_detail.json"  # MIT
RADAR = "salary_strings/bsdevda_cyber-job-radar__security_jobs.json"  # MIT


def _outline(sections: list[Section]) -> list[tuple[str, str, int]]:
    return [(s.heading, s.kind, len(s.items)) for s in sections]


def test_greenhouse_content_by_its_headings(realdata):
    # GitLab's Account Executive (Greenhouse job board API, ``content``).
    content = json.loads((realdata / GITLAB).read_text())["jobs"][0]["content"]
    sections = sections_from_html(content)
    assert _outline(sections) == [
        ("", "general", 3),
        ("An overview of this role", "general", 1),
        ("What you’ll do", "general", 8),
        ("What you’ll bring", "required", 9),
        ("About the team", "general", 1),
        ("How GitLab Supports Full-Time Employees", "benefits", 10),
    ]
    bring = sections[3].items
    assert bring[0] == (
        "- Proven success in software sales, ideally in a Commercial market context, managing "
        "a varied book of business."
    )


def test_ashby_lists_of_paragraphs_are_items(realdata):
    # Linear (Ashby's ``descriptionHtml``): <li><p>...</p></li> is one item.
    html = json.loads((realdata / LINEAR).read_text())["jobs"][0]["descriptionHtml"]
    sections = sections_from_html(html)
    assert [(s.heading, s.kind) for s in sections] == [
        ("", "general"),
        ("Location & work mode", "general"),
        ("What you'll do", "general"),
        ("What we're looking for", "required"),
        ("Our tech", "general"),
        ("What we offer", "benefits"),
        ("Learn how we think and work", "general"),
    ]
    looking_for = sections[3].items
    assert len(looking_for) == 8 and all(item.startswith("- ") for item in looking_for)
    assert looking_for[0] == (
        "- 5+ years of experience building customer-facing products at a high-quality software "
        "company"
    )


def test_workday_sentences_set_as_headings_are_items(realdata):
    # GDIT's Workday posting sets every list item in an <h2>, and its headings in <h2><b><u>.
    html = json.loads((realdata / GDIT).read_text())["jobPostingInfo"]["jobDescription"]
    by_heading = {s.heading: s for s in sections_from_html(html)}
    qualifications = by_heading["Qualifications"]
    assert qualifications.kind == "required"
    assert len(qualifications.items) == 16
    assert qualifications.items[0] == (
        "- Requires BS/BA degree in related discipline along with 8 years of experience or 6 "
        "years with a Master’s Degree."
    )
    assert by_heading["Position Duties"].kind == "general"
    assert len(by_heading["Position Duties"].items) == 20
    assert by_heading["Certifications"].kind == "required"
    assert by_heading["Total Rewards at GDIT"].kind == "benefits"
    assert by_heading["About Our Work"].kind == "about"


def test_the_stored_text_gives_the_same_sections_back(realdata):
    for path, key in ((GITLAB, "content"), (LINEAR, "descriptionHtml")):
        for job in json.loads((realdata / path).read_text())["jobs"]:
            sections = sections_from_html(job[key])
            text = description_text(job[key])
            assert outline(text).structure == "marked"
            assert sections_from_text(text) == sections


def test_plain_text_headings_are_guessed_from_their_lines(realdata):
    # Starburst, Application Security Engineer (cyber-job-radar): plain text, no markup.
    text = json.loads((realdata / RADAR).read_text())[3]["description"]
    assert outline(text).structure == "lines"
    assert [(s.heading, s.kind) for s in sections_from_text(text)] == [
        ("About Starburst", "about"),
        ("About the Role", "general"),
        ("As an Application Security Engineer at Starburst you will", "general"),
        ("Some of the things we look for", "required"),
    ]


def test_lines_that_read_like_requirements_are_not_headings():
    text = (
        "We secure payments.\nExperience with Python\nBachelor's degree preferred\n"
        "CISSP or CISM\nOur team ships fast."
    )
    assert outline(text).structure == "flat"
    assert sections_from_text(text) == [
        Section(
            "",
            "general",
            (
                "We secure payments.",
                "Experience with Python",
                "Bachelor's degree preferred",
                "CISSP or CISM",
                "Our team ships fast.",
            ),
        )
    ]


def test_heading_kinds():
    assert [
        classify_heading(h)
        for h in (
            "Minimum Qualifications",
            "Basic qualifications:",
            "What you'll bring",
            "Preferred Qualifications",
            "Nice to have",
            "Bonus points",
            "Required and preferred qualifications",
            "Compensation",
            "Pay Range",
            "Benefits",
            "What we offer",
            "About Acme",
            "About the role",
            "Equal Opportunity Employer",
            "Responsibilities",
        )
    ] == [
        *("required", "required", "required", "preferred", "preferred", "preferred"),
        *("general", "pay", "pay", "benefits", "benefits", "about", "general", "about"),
        "general",
    ]


def test_api_fields_as_sections():
    assert field_section("Qualifications", "One year of specialized experience.\nGS-12.") == (
        Section("Qualifications", "required", ("One year of specialized experience.", "GS-12."))
    )
    assert field_section("Duties", ["Lead the SOC", " ", "Report to the CISO"]) == Section(
        "Duties", "general", ("- Lead the SOC", "- Report to the CISO")
    )
    assert field_section("Benefits", "  ") is None
    assert render([field_section("Summary", "A job."), field_section("Benefits", "401(k)")]) == (
        "## Summary\nA job.\n\n## Benefits\n401(k)"
    )


def test_benefits_left_out():
    text = "## About the job\nGreat.\n\n## Benefits\n- $1,200 home office budget\n\n## Pay\n$90k"
    assert without_kinds(text, frozenset({"benefits"})) == (
        "## About the job\nGreat.\n\n## Pay\n$90k"
    )


def test_scripts_styles_and_comments_are_not_text():
    html = (
        "<h3>Requirements</h3><script>var cissp = 'CISSP required';</script>"
        "<style>li { color: red }</style><!-- CISM --><ul><li>5 years</li></ul>"
    )
    assert sections_from_html(html) == [Section("Requirements", "required", ("- 5 years",))]


def test_escaped_html_is_read_as_html():
    assert sections_from_html("&lt;h2&gt;Benefits&lt;/h2&gt;&lt;p&gt;401k&lt;/p&gt;") == [
        Section("Benefits", "benefits", ("401k",))
    ]


_TAGS = ["p", "div", "ul", "ol", "li", "h2", "h3", "b", "strong", "script", "br", "table", "td"]
_piece = st.one_of(
    st.sampled_from([f"<{t}>" for t in _TAGS] + [f"</{t}>" for t in _TAGS]),
    st.sampled_from(["Requirements:", "Preferred", "Benefits", "CISSP", "<", ">", "&lt;", "## "]),
    st.text(max_size=30),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_piece, max_size=60).map("".join))
def test_any_markup_gives_sections_or_nothing(markup):
    sections = sections_from_html(markup)
    for section in sections:
        assert section.kind in KINDS
        assert section.heading or section.items
        assert all(item.strip() for item in section.items)
    text = render(sections)
    if text is not None:  # what is stored reads back with the same kinds of section
        assert outline(text).structure in ("marked", "lines", "flat")
        if any(s.heading for s in sections):
            assert list(outline(text).kinds) == [s.kind for s in sections if s.heading]


def test_deep_nesting_and_huge_pages_do_not_raise():
    deep = "<div>" * 20_000 + "<h3>Requirements</h3><ul><li>CISSP</li></ul>" + "</div>" * 20_000
    assert isinstance(sections_from_html(deep), list)
    nested = "<ul>" + "<li>item<ul>" * 500 + "</ul></li>" * 500 + "</ul>"
    assert all(item == "- item" for s in sections_from_html(nested) for item in s.items)
    huge = "<p>" + "word " * 1_000_000 + "</p>"
    assert len(sections_from_html(huge)) == 1
