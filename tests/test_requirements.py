"""Certifications, degree and experience from real posting text."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pipeline import requirements
from pipeline.casefold import TRAPS, lower_in_place
from pipeline.requirements import (
    CERTIFICATIONS,
    DEGREE_LEVELS,
    REQUIREMENTS_VERSION,
    extract_requirements,
)

RADAR = "salary_strings/bsdevda_cyber-job-radar__security_jobs.json"


def test_certifications_line_from_a_real_posting():
    # Justworks security engineer posting (bsdevda/cyber-job-radar, MIT)
    req = extract_requirements("Security Certifications: CISSP, CISM, CRISC, GIAC, CCSP or CEH")
    assert req.certifications == ["CCSP", "CEH", "CISM", "CISSP", "CRISC", "GIAC"]


def test_bachelor_or_equivalent_is_required_with_equivalent_ok():
    # Anthropic postings (bsdevda/cyber-job-radar, MIT)
    req = extract_requirements(
        "Minimum education: Bachelor’s degree or an equivalent combination of education, "
        "training, and/or experience"
    )
    assert (req.degree, req.degree_required, req.equivalent_experience_ok) == (
        "bachelor",
        True,
        True,
    )


def test_master_preferred_is_not_required():
    req = extract_requirements(
        "Bachelor's degree in Computer Science required. Master's degree preferred. "
        "5+ years of experience in information security; 3 years of experience managing "
        "a team. CISSP or ISSMP, Security+ and GSLC are a plus."
    )
    assert (req.degree, req.degree_required, req.years_experience) == ("master", False, 3)
    assert req.certifications == ["CISSP", "GSLC", "ISSMP", "Security+"]


def test_master_required():
    req = extract_requirements("A Master's degree in Cybersecurity is required.")
    assert (req.degree, req.degree_required, req.equivalent_experience_ok) == (
        "master",
        True,
        False,
    )


def test_nothing_stated():
    req = extract_requirements("Join our team and help us secure the cloud.")
    assert (req.certifications, req.degree, req.years_experience) == ([], "none", None)


@given(st.text(max_size=300))
def test_invariants(text):
    req = extract_requirements(text)
    assert req.certifications == sorted(set(req.certifications))
    assert req.degree in DEGREE_LEVELS
    assert req.years_experience is None or 0 < req.years_experience <= 40


def test_degree_after_a_bullet_and_years_after_blank_lines():
    req = extract_requirements(
        "What you bring:\n • Bachelor's degree in Computer Science\n"
        + " " * 80
        + "\n\n - 3+ years of experience in security operations"
    )
    assert (req.degree, req.degree_required, req.years_experience) == ("bachelor", True, 3)


def test_a_qualifier_far_before_the_degree_in_its_sentence_counts():
    req = extract_requirements(
        "Bachelor's degree required. Preferred, for candidates who will lead our research "
        "group and mentor others, is a Master's degree in Computer Science."
    )
    assert (req.degree, req.degree_required) == ("master", False)


def test_years_and_a_degree_in_one_sentence():
    req = extract_requirements(
        "5+ years of experience and a bachelor's degree, or equivalent experience."
    )
    assert (req.years_experience, req.degree, req.degree_required) == (5, "bachelor", True)
    assert req.equivalent_experience_ok


def test_words_holding_degree_letters_are_not_degrees():
    req = extract_requirements(
        "We build systems for jobs boards based in Phoenix; MSSP labs, BSides talks and "
        "banks use them."
    )
    assert (req.degree, req.years_experience) == ("none", None)


def test_certifications_glued_to_words():
    req = extract_requirements("xCISSP, CISSP-certified, CompTIA Security +, CASPx, OSCE3, GIACs")
    assert req.certifications == ["CASP+", "CISSP", "OSCE", "Security+"]


_FRAGMENTS = [
    *(". ", "\n", " - ", " • ", "  \n ", ": ", ";", " ", "-"),
    *("jobs", "systems", "B.S.", "BS/BA", "M.S.", "MSc", "Ph.D", "PhD", "Ph. D", "master's"),
    *("bachelor's degree", "degree in", "associate's degree", "4-year degree", "doctorate"),
    *("5+ years of experience", "3-5 yrs", "10 Jahre Erfahrung", "7 years old", "preferred"),
    *("or equivalent experience", "required", "a plus", "CISSP", "xCISSP", "Security+"),
]


@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=30).map("".join))
def test_sentences_without_hints_add_nothing(text):
    # A trap character (casefold.TRAPS) takes the other way of lower-casing; its own sentence
    # here holds nothing.
    assume(not any(trap in text for trap in TRAPS))
    assert extract_requirements("\u0131\n" + text) == extract_requirements(text)


def _degrees(req):
    return (req.degree, req.degree_required, req.degree_minimum, req.degrees_accepted)


# --- 1. Degree words inside other words or with other meanings ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # GitLab's equal-opportunity statement, on every GitLab posting (bsdevda security_jobs
        # and sandbox/recorded/greenhouse_gitlab_jobs.json): "promotion" is German for a
        # doctorate, and was read as one.
        "GitLab’s policies and practices relating to recruitment, employment, career "
        "development and advancement, promotion, and retirement are based solely on merit, "
        "regardless of race, color, religion, ancestry, sex",
        # A benefits line (bsdevda security_jobs).
        "Receive stock options upon hire and promotion.",
    ],
)
def test_promotion_is_not_a_doctorate(text):
    assert _degrees(extract_requirements(text)) == ("none", False, "none", [])


@pytest.mark.parametrize(
    "text",
    [
        # "master" as a verb (bsdevda security_jobs; stapply-ai uber_careers)
        "countless opportunities to experiment and master your craft in a hyper growth "
        "environment.",
        "You will master the balance between empathy and execution, defining the future of "
        "in-person support.",
        # in a title and a name (PlayingNumbers glassdoor_jobs.csv; AMREESHAYS cyberjobs jobs.json)
        "Provide development support to the Scrum Master in an agile software development "
        "environment in AWS.",
        "The Master Data & Order Execution Team is a centralized team within Supplier Operations",
        # "MS" meaning Microsoft (glassdoor_jobs.csv; bsdevda security_jobs, twice)
        "Experience with self-documentation practices utilizing products such as; MS Visio, MS "
        "Project, JIRA, Wiki Articles, and creating Standard Operating Procedures (SOP’s) using "
        "MS Word is a plus.",
        "You have worked with PostgreSQL, MySQL, MS SQL, and other database servers.",
        "Du bist sicher in der Arbeit mit MS Office, insbesondere mit Outlook und PowerPoint",
        # letters of a word (bsdevda security_jobs) and a company (AMREESHAYS cyberjobs jobs)
        "Contribute to authorization package documentation (SSPs, POA&Ms, SAPs), with "
        "attention to FedRAMP High baseline requirements",
        "MEDLOG ist Teil der MSC-Gruppe und ein weltweiter Anbieter für Logistikdienstleitungen",
        # "doctor" in medical contexts (bsdevda security_jobs; JACKAS5 remoteok.json)
        "Extensive medical benefits including an on-site doctor and therapist at no charge.",
        "These experiences include waiting hours in waiting rooms, spending mere minutes with "
        "doctors",
        # "BS" as slang, "degree" not about education (bsdevda security_jobs)
        "We are Proud, We Break Barriers, We Care and No BS!",
    ],
)
def test_degree_words_with_other_meanings_are_not_degrees(text):
    assert _degrees(extract_requirements(text)) == ("none", False, "none", [])


def test_degree_abbreviations_count_next_to_a_field_or_a_degree():
    # bsdevda security_jobs
    for text in (
        "BSc in Computer Science/Software Programming or related subject",
        "BA or BS degree in Information Security, Cyber Security, Computer Science or related "
        "field or commensurate experience",
        "Bachelors in Computer Science or related field",
    ):
        assert _degrees(extract_requirements(text)) == ("bachelor", True, "bachelor", [])
    # PlayingNumbers glassdoor_jobs.csv: "MS with 3+ years" is a degree
    req = extract_requirements(
        "+ BS with 5+ years of experience, or MS with 3+ years of experience, or PhD with 1+ "
        "years of experience in computational chemistry, machine learning, chemical "
        "engineering, or related field."
    )
    assert _degrees(req) == ("bachelor", True, "bachelor", ["master", "doctorate"])


def test_a_university_degree_not_required_asks_for_none():
    # KnowBe4 (bsdevda security_jobs)
    req = extract_requirements("Educational Background: A university degree is not required")
    assert _degrees(req) == ("none", False, "none", [])


# --- 2. Alternatives: the lowest level is required, the higher ones accepted -----------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # All four from bsdevda security_jobs.
        (
            "You have a BS/MS/PhD in a STEM field or equivalent experience.",
            ("bachelor", True, "bachelor", ["master", "doctorate"]),
        ),
        (
            "MS or Ph.D. in Computer Science or related fields",
            ("master", True, "master", ["doctorate"]),
        ),
        (
            "A Bachelor’s or Master’s degree in Computer Science, Software Engineering, "
            "Cybersecurity, or a related field.",
            ("bachelor", True, "bachelor", ["master"]),
        ),
        (  # Stripe: "B.S. or M.S." is one sentence, not two
            "B.S. or M.S. Computer Science or related field, or equivalent experience in Security",
            ("bachelor", True, "bachelor", ["master"]),
        ),
        (  # Okta
            "Education: An Undergraduate and/or Masters Degree in Computer Science, Engineering, "
            "Information Systems or a related technical field.",
            ("bachelor", True, "bachelor", ["master"]),
        ),
    ],
)
def test_alternative_degrees_require_the_lowest(text, expected):
    assert _degrees(extract_requirements(text)) == expected


def test_alternatives_with_years_of_experience():
    # Databricks (bsdevda security_jobs)
    req = extract_requirements(
        "Bachelor's Degree AND 4+ years experience in Incident Response work OR Master's "
        "Degree AND 2+ years experience."
    )
    assert _degrees(req) == ("bachelor", True, "bachelor", ["master"])
    assert req.years_experience == 2  # the smallest minimum stated


def test_alternatives_continued_in_sentences_starting_with_or():
    # PlayingNumbers glassdoor_jobs.csv
    req = extract_requirements(
        "Requirements:\nBS in Computer Science or related discipline with ten (10) years of "
        "experience; OR MS in the same fields with eight (8) years of experience; OR PhD with "
        "five (5) years of experience.\nFlexible to travel"
    )
    assert _degrees(req) == ("bachelor", True, "bachelor", ["master", "doctorate"])
    assert req.years_experience == 5


def test_required_bachelor_and_preferred_master_in_their_sections():
    # Reddit, Lead Physical Security Engineer (bsdevda security_jobs)
    req = extract_requirements(
        "Required Qualifications:\n\nBachelor's degree in criminal justice, security "
        "management, or a related field.\n\nMinimum of 5+ years of experience in corporate "
        "physical security\n\nPreferred Qualifications:\n\nMasters degree in a related field.\n\n"
        "Certifications such as CPP, PSP, or similar are highly desirable."
    )
    assert _degrees(req) == ("master", False, "bachelor", [])
    assert req.years_experience == 5


def test_degrees_only_in_a_preferred_section_are_not_required():
    # SpaceX, Security Supervisor (bsdevda security_jobs): school required, degrees preferred
    req = extract_requirements(
        "BASIC QUALIFICATIONS:\n\nHigh school diploma or equivalency certificate\n\n5+ years of "
        "experience in the military, law enforcement, overseas security contracting, or "
        "advanced corporate security\n\n1+ year of executive protection, mobile asset "
        "protection, or emergency response team experience\n\nPREFERRED SKILLS AND EXPERIENCE:"
        "\n\nBachelor’s or advanced degree\n\nMilitary deployment and/or counterinsurgency "
        "experience"
    )
    assert _degrees(req) == ("bachelor", False, "none", ["master"])
    assert req.years_experience == 1
    # Twilio (bsdevda security_jobs): "Desired:" is a preferred section
    req = extract_requirements(
        "*Required:\n\n5+ years of Risk Management experience, working with security-centric "
        "risk management and compliance frameworks.\n\nDesired:\n\nBachelor’s degree in Risk "
        "Management, Business, Finance, Cybersecurity, or a related field."
    )
    assert _degrees(req) == ("bachelor", False, "none", [])


# --- 3. Years of experience -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "years"),
    [
        # in words (bsdevda security_jobs; scrapfly google_jobs_search.json)
        (
            "At least four years of experience in testing applications and contributing to "
            "improving their security required",
            4,
        ),
        (
            "The successful candidate will have at least six years of experience, either full "
            "stack (Typescript, Python) or backend (Python).",
            6,
        ),
        ("Approximately one to three years’ experience in Information Security.", 1),
        # USAJOBS (AllenHThompson usajobs_search_response.json.md): one year = 1
        (
            "Applicants must have at least one year of specialized experience at or equivalent "
            "to the GS-12 in the Federal service",
            1,
        ),
        # in months (the same USAJOBS file; subhradeepbiswas adzuna_search_response.json)
        (
            "Specialized Experience: Must have a minimum of 24 months specialized experience in "
            "analysis of the interrelationship of pertinent components",
            2,
        ),
        ("84 Months of experience in Object Oriented Analysis and Design (OOAD)", 7),
        # "experience" not next to the number (bsdevda security_jobs)
        ("5+ years shipping production Go as your primary language.", 5),
        ("3+ years managing security engineering teams with proven track record", 3),
        ("3+ years of demonstrated ability in a security engineering role.", 3),
        (
            "You've managed software engineers for 2+ years, with a track record of shipping "
            "through your team",
            2,
        ),
        # a part of the first span of time, not a smaller minimum (bsdevda security_jobs)
        (
            "Minimum of 5 years of experience in cyber security, with at least 3 years focused "
            "on cloud security.",
            5,
        ),
    ],
)
def test_years_of_experience(text, years):
    assert extract_requirements(text).years_experience == years


@pytest.mark.parametrize(
    "text",
    [
        # PlayingNumbers glassdoor_jobs.csv
        "Explaining technical and architectural design topics like we’re five years old.",
        # Mozilla (bsdevda security_jobs)
        "Mozilla Corporation is the non-profit-backed technology company that has shaped the "
        "internet for the better over the last 25 years.",
        # Wall-Street-Playbook active_jobs_db_api.json
        "Founded more than 100 years ago, we offer large-firm capabilities in a boutique culture",
        # JACKAS5 remoteok.json
        "For 30 years we have been helping people make better investment decisions",
        # benefits (bsdevda security_jobs)
        "Plus, you can participate in secondary offerings and have 10 years to exercise your "
        "options (yes, you read that correctly: 10 years!).",
        "28 vacation days, increasing by 2 days after 2 years and 3 days after 3 years with "
        "Solaris.",
        "Your personal data will be retained by Baringa for up to two years, in accordance with "
        "our UK Recruitment Privacy Notice",
    ],
)
def test_spans_of_time_that_are_not_experience(text):
    assert extract_requirements(text).years_experience is None


# --- 4. Certifications ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "certifications"),
    [
        # stapply-ai uber_careers.json
        ("PMP certification or equivalent preferred.", ["PMP"]),
        (
            "CPA, CA, CIA, CISA, or other relevant professional certification is highly preferred.",
            ["CIA", "CISA"],
        ),
        # bsdevda security_jobs
        (
            "Security-related Certification(s): E.g., SSCP, CC, Security+, CySA+, etc.",
            ["CySA+", "Security+"],
        ),
        (
            "Certified Information Systems Security Professional (CISSP), Certified Internal "
            "Auditor (CIA), or Certified Ethical Hacker (CEH)",
            ["CEH", "CIA", "CISSP"],
        ),
        (
            "Relevant certifications such as CDP, GCSA, CCSP, CKS, or cloud security "
            "certifications (Azure, AWS, GCP)",
            ["AWS", "Azure", "CCSP", "CKS", "GCSA", "Google Cloud"],
        ),
        (
            "OSCP, Microsoft Azure Security Engineer, AWS Certified Security – Specialty or "
            "similar security certifications preferred",
            ["AWS", "Azure", "OSCP"],
        ),
        (
            "Active DoD 8570 IAM Level II certification or the ability to obtain one within 60 "
            "days",
            ["DoD 8570/8140", "IAM II"],
        ),
        (
            "An active US Top Secret security clearance with minimum IAT Level 2 certification "
            "(Security +, CASP, or similar).",
            ["CASP+", "IAT II", "Security+"],
        ),
        ("DoD IAM Level III eligibility based on active certifications", ["IAM III"]),
        (
            "Relevant certifications preferred such as CISSP, CISM. CISA, etc.",
            ["CISA", "CISM", "CISSP"],
        ),
        # AMREESHAYS cyberjobs jobs.json
        ("Desirable Certification in ITIL 4 and Agile Project Management.", ["ITIL"]),
        ("Terraform Associate or Certified Kubernetes Administrator (CKA) .", ["CKA"]),
        (
            "Relevant certifications such as SC-300, AZ-500, CISSP, CCSP, or equivalent.",
            ["Azure", "CCSP", "CISSP"],
        ),
        (
            "Minimum Acceptable certifications: AWS Solutions Architect, Azure Solutions "
            "Architect Expert, Google Cloud Professional Architect)",
            ["AWS", "Azure", "Google Cloud"],
        ),
    ],
)
def test_certifications(text, certifications):
    assert extract_requirements(text).certifications == certifications


@pytest.mark.parametrize(
    "text",
    [
        # the agency, not the auditor (jdoner02 usajobs_cyber_jobs_normalized.json; bsdevda)
        "The Cybersecurity and Infrastructure Security Agency (CISA) is the Nation's risk advisor",
        "Deep knowledge of vulnerability management methods and standards, including CVSS, EPSS, "
        "CISA KEV, threat intelligence integration",
        "Work with the Linux Foundation, CISA, and other bodies to co-ordinate actions and "
        "responses.",
        # Customer identity, not the CIA (bsdevda security_jobs)
        "foundational knowledge of Identity and Access Management (IAM/CIAM) concepts",
        # the framework, not its certificates (AMREESHAYS cyberjobs jobs.json)
        "Familiarity with IT best practices (ITIL) and tools.",
        # the clouds, not their certifications (bsdevda security_jobs)
        "Proficiency in at least one cloud platform (AWS, GCP, or Azure) and associated "
        "security services",
        # offered to staff, not asked of candidates (NVISO, bsdevda security_jobs)
        "all of our technical staff can acquire deep technical security certifications (GSE, "
        "GXPN, GREM, GCFA, OSCP, etc.);",
    ],
)
def test_names_that_are_not_certifications_asked_for(text):
    assert extract_requirements(text).certifications == []


# --- 5. Boilerplate -----------------------------------------------------------------------


def test_benefits_and_equal_opportunity_ask_for_nothing():
    # The end of GitLab's Staff Infrastructure Security Engineer posting (bsdevda
    # security_jobs), from its benefits heading on.
    text = (
        "How GitLab Supports Full-Time Employees\n\nBenefits to support your health, finances, "
        "and well-being\n\nFlexible Paid Time Off \n\nTeam Member Resource Groups\n\nEquity "
        "Compensation & Employee Stock Purchase Plan\n\nGrowth and Development Fund\n\nParental "
        "Leave \n\nPlease note that we welcome interest from candidates with varying levels of "
        "experience; many successful candidates do not meet every single requirement.\n\n"
        "Privacy Policy: Please review our Recruitment Privacy Policy. Your privacy is important "
        "to us.\n\nGitLab is proud to be an equal opportunity workplace and is an affirmative "
        "action employer. GitLab’s policies and practices relating to recruitment, employment, "
        "career development and advancement, promotion, and retirement are based solely on "
        "merit, regardless of race, color, religion, ancestry, sex"
    )
    read = extract_requirements(text)
    assert read.structure == "lines"  # its headings were found
    assert dataclasses.replace(read, structure="flat") == extract_requirements("")


def test_an_about_section_ends_at_a_heading_it_does_not_know():
    # Cloudflare, Product Security Engineer (bsdevda security_jobs): the requirements come
    # after "About Us" under headings no list knows.
    req = extract_requirements(
        "About Us\n\nAt Cloudflare, we are on a mission to help build a better Internet.\n\n"
        "Job Title - Product Security Engineer\n\nAvailable Location - Bengaluru, India\n\n"
        "Role Requirements (Must-Have Skills)\n\nProduct/AppSec Expertise: 5+ years of "
        "experience in Product or Application Security within large-scale distributed cloud "
        "environments or SaaS platforms."
    )
    assert req.years_experience == 5


def test_real_postings_ask_for_no_doctorate_through_boilerplate(realdata):
    """The old extractor read 32 of these 390 postings as asking for a doctorate, mostly
    through "promotion"; their only doctorates now are in degree alternatives."""
    jobs = json.loads((realdata / RADAR).read_text())
    results = [extract_requirements(job["description"]) for job in jobs]
    assert not [req for req in results if req.degree == "doctorate"]
    assert sum(req.degree_minimum == "master" for req in results) == 6
    assert sum(req.degree_minimum == "bachelor" for req in results) > 100


# --- Stored shape and invariants ------------------------------------------------------------


def test_stored_shape_keeps_the_old_keys_and_adds_the_new():
    # Reddit, Lead Physical Security Engineer (bsdevda security_jobs)
    stored = extract_requirements(
        "Required Qualifications:\n\nBachelor's degree in criminal justice, security "
        "management, or a related field.\n\nPreferred Qualifications:\n\nMasters degree in a "
        "related field."
    ).as_dict()
    assert stored == {
        "certifications": [],
        "degree": "master",
        "degree_required": False,
        "equivalent_experience_ok": False,
        "years_experience": None,
        "degree_minimum": "bachelor",
        "degrees_accepted": [],
        "certification_classes": {},
        "structure": "lines",
        "version": REQUIREMENTS_VERSION,
    }
    assert REQUIREMENTS_VERSION == 3


def _check_invariants(req):
    rank = DEGREE_LEVELS.index
    assert req.certifications == sorted(set(req.certifications))
    assert set(req.certifications) <= set(CERTIFICATIONS)
    assert req.degree in DEGREE_LEVELS and req.degree_minimum in DEGREE_LEVELS
    assert rank(req.degree_minimum) <= rank(req.degree)
    assert req.degree_required == (req.degree != "none" and req.degree_minimum == req.degree)
    assert req.degrees_accepted == sorted(set(req.degrees_accepted), key=rank)
    assert all(rank(level) > rank(req.degree_minimum) for level in req.degrees_accepted)
    assert req.degree not in req.degrees_accepted
    assert req.years_experience is None or 0 < req.years_experience <= 40
    assert req.as_dict()["version"] == REQUIREMENTS_VERSION


# Pieces of real postings (the files named above), joined at random.
_REAL_PIECES = [
    *("BS/MS/PhD in a STEM field", "MS or Ph.D. in Computer Science", "Bachelor’s or Master’s"),
    *("Masters degree in a related field.", "Advanced degree", "High school diploma", "MBA"),
    *("B.S. or M.S. Computer Science", "Bachelor's Degree AND 4+ years experience", "OR "),
    *("Required Qualifications:", "Preferred Qualifications:", "Nice to have:", "Benefits:"),
    *("About Us", "What you'll bring", "Desired:", "(preferred)", "is a plus", "required"),
    *("MS Visio", "master your craft", "promotion", "A university degree is not required"),
    *("or equivalent experience", "in lieu of a degree", "At least four years of experience"),
    *("over the last 25 years", "84 Months of experience", "5+ years shipping production Go"),
    *("CISSP", "CIA", "CISA KEV", "AWS Certified Security", "IAT Level 2", "certifications"),
    *("tuition reimbursement", "equal opportunity", "Scrum Master", "Ph.D. scientists"),
]
_SEPARATORS = ["\n", "\n\n", ". ", "; ", ", ", " ", " • ", " - "]


@given(
    st.lists(st.sampled_from(_REAL_PIECES + _SEPARATORS), max_size=40).map("".join)
    | st.text(max_size=300)
)
def test_invariants_hold_for_any_text(text):
    _check_invariants(extract_requirements(text))


def test_invariants_hold_on_real_postings(realdata):
    for job in json.loads((realdata / RADAR).read_text()):
        _check_invariants(extract_requirements(job["description"]))


# Real boilerplate sentences (bsdevda security_jobs: GitLab, Databricks, Stripe, Solaris).
_BOILERPLATE = [
    "GitLab is proud to be an equal opportunity workplace and is an affirmative action employer.",
    "GitLab’s policies and practices relating to recruitment, employment, career development "
    "and advancement, promotion, and retirement are based solely on merit",
    "Individuals looking for employment at Databricks are considered without regard to age, "
    "color, disability, ethnicity, family or marital status, gender identity or expression",
    "Receive stock options upon hire and promotion.",
    "tuition reimbursement, certification reimbursement, and certification completion bonuses",
    "28 vacation days, increasing by 2 days after 2 years and 3 days after 3 years with Solaris.",
    "Benefits\n\nFlexible Paid Time Off \n\nParental Leave ",
    "About Databricks\n\nDatabricks is the Data and AI company.",
]


@given(st.lists(st.sampled_from(_BOILERPLATE + _SEPARATORS), max_size=20).map("".join))
def test_boilerplate_alone_asks_for_nothing(text):
    req = extract_requirements(text)
    assert (req.degree, req.degree_minimum, req.certifications) == ("none", "none", [])
    assert req.years_experience is None


# --- The speed structures find what a plain reading finds ------------------------------------


def _reading_every_sentence(text):
    """``extract_requirements`` without its hints: every sentence read for years and degrees."""
    reader = requirements._Reader(text)
    at = read_up_to = 0
    while at < len(text):
        if text[at].isspace():  # a sentence starts after; hints are letters
            at += 1
            continue
        start, end = reader.sentence_around(at)
        if start >= read_up_to and end > start:
            reader.read_sentence(start, end, True, True)
            read_up_to = end
        at = max(at, end) + 1
    return reader.result(reader.certifications())


@given(st.lists(st.sampled_from(_REAL_PIECES + _SEPARATORS), max_size=40).map("".join))
def test_hints_never_hide_a_sentence(text):
    assert extract_requirements(text) == _reading_every_sentence(text)


def test_hints_never_hide_a_sentence_of_real_postings(realdata):
    jobs = json.loads((realdata / RADAR).read_text())
    for job in jobs:
        assert extract_requirements(job["description"]) == _reading_every_sentence(
            job["description"]
        )


def test_certification_patterns_by_first_letter_find_what_one_pattern_finds(realdata, monkeypatch):
    jobs = json.loads((realdata / RADAR).read_text())
    fast = [extract_requirements(job["description"]).certifications for job in jobs]
    one = "|".join(
        f"(?P<a{index}>{alternative})"
        for index, (_, alternative) in enumerate(requirements._CERT_ALTERNATIVES)
    )
    monkeypatch.setattr(requirements, "_CERTS", [("", re.compile(rf"(?<![\w+])(?:{one})"))])
    assert [extract_requirements(job["description"]).certifications for job in jobs] == fast
    assert sum(bool(certs) for certs in fast) > 50  # the set really exercises certifications


def test_boilerplate_grouped_by_first_letter_finds_what_one_alternation_finds(realdata):
    """Every line of real descriptions is boilerplate to both patterns or to neither."""
    jobs = json.loads((realdata / RADAR).read_text())
    plain = re.compile("|".join(requirements._BOILERPLATE_ALTERNATIVES))
    lines = [line for job in jobs for line in lower_in_place(job["description"]).split("\n")]
    found = [bool(requirements._BOILERPLATE.search(line)) for line in lines]
    assert found == [bool(plain.search(line)) for line in lines]
    assert 100 < sum(found) < len(lines)  # the set really exercises both answers


def _passage(path, anchor: str) -> str:
    """The JSON string value (a description) holding ``anchor``, read in place."""
    text = path.read_text()
    at = text.index(anchor)
    quotes = [m.start() for m in re.finditer(r'(?<!\\)"', text)]  # not the escaped ones
    start = max(q for q in quotes if q < at)
    end = min(q for q in quotes if q > at)
    return json.loads(text[start : end + 1])


def test_usajobs_education_that_may_stand_in_for_experience_is_not_required(realdata):
    """USAJOBS qualifications name degrees as substitutes for specialized experience ("You may
    substitute education ...", "OR A Ph.D. ..."): accepted, never required."""
    usajobs = realdata / "api_json" / "AllenHThompson_job-press__usajobs_search_response.json.md"
    for anchor in (
        "You may substitute education for specialized experience as follows: Master",
        "SUBSTITUTION OF EDUCATION FOR EXPERIENCE: For the GS-11",
    ):
        req = extract_requirements(_passage(usajobs, anchor))
        assert (req.degree, req.degree_minimum, req.degree_required) == ("none", "none", False)
        assert req.years_experience == 1  # "one year of specialized experience"


def test_a_btech_is_a_bachelor_among_the_alternatives(realdata):
    # Medtronic's Workday posting: "B.Tech / Masters / Ph.D. in Computer Science, ..."
    page = realdata / "html_jobposting" / "workday_medtronic__R46392-2_20260406_093159.html"
    text = page.read_text()
    at = text.index("B.Tech / Masters / Ph.D.")
    req = extract_requirements(text[at - 200 : at + 300])
    assert (req.degree, req.degree_minimum, req.degrees_accepted) == (
        "bachelor",
        "bachelor",
        ["master", "doctorate"],
    )


def test_phd_programs_a_team_came_from_are_not_asked_for(realdata):
    # Remotive's Speechify posting: "... others from Amazon, Microsoft, and Google, leading
    # PhD programs like Stanford, high growth startups ..."
    remotive = realdata / "api_json" / "Wall-Street-Playbook__remotive.json"
    req = extract_requirements(_passage(remotive, "leading PhD programs like Stanford"))
    assert req.degree == "none"


@pytest.mark.parametrize(
    ("text", "classes"),
    [
        (
            "## Requirements\n- CISSP certification\n- CISM",
            {"CISM": "required", "CISSP": "required"},
        ),
        (
            "CISSP, CISM or CISA certification required.",
            dict.fromkeys(("CISA", "CISM", "CISSP"), "one_of"),
        ),
        ("Hold one of the following: CISSP, CISM.", {"CISM": "one_of", "CISSP": "one_of"}),
        ("Certifications: e.g. Security+, CySA+, etc.", {"CySA+": "one_of", "Security+": "one_of"}),
        ("CISSP or equivalent certification.", {"CISSP": "one_of"}),
        (
            "CISSP required; CISM or CISA a plus.",
            {"CISA": "preferred", "CISM": "preferred", "CISSP": "required"},
        ),
        (
            "## Preferred qualifications\n- CISSP\n- CISM",
            {"CISM": "preferred", "CISSP": "preferred"},
        ),
        # A sentence's own words override its section's kind.
        ("## Nice to have\n- CISSP (required for federal work)", {"CISSP": "required"}),
        # Named twice: the strongest way counts.
        (
            "## Requirements\n- CISSP\n\n## Bonus points\n- CISSP and CISM",
            {"CISM": "preferred", "CISSP": "required"},
        ),
        # Spelled out, as auditors' postings write them; GIAC there is the issuer.
        (
            "Certified Information Systems Security Professional or Certified Information "
            "Security Manager certification.",
            {"CISM": "one_of", "CISSP": "one_of"},
        ),
        ("GIAC Certified Incident Handler (GCIH) certification.", {"GCIH": "required"}),
        ("## Benefits\n- We pay for your CISSP exam", {}),
    ],
)
def test_how_each_certification_is_asked_for(text, classes):
    read = extract_requirements(text)
    assert read.certification_classes == classes
    assert read.certifications == sorted(classes)


def test_degrees_in_sections():
    text = (
        "## Minimum qualifications\n- Bachelor's degree in Computer Science\n\n"
        "## Preferred qualifications\n- Master's degree\n- PhD (required for research roles)"
    )
    read = extract_requirements(text)
    assert (read.degree_minimum, read.degree, read.structure) == (
        "doctorate",
        "doctorate",
        "marked",
    )
    text = "## Preferred qualifications\n- Master's degree\n- 5+ years of experience"
    read = extract_requirements(text)
    assert (read.degree_minimum, read.degree, read.years_experience) == ("none", "master", 5)


def test_usajobs_qualifications_are_required():
    # As the USAJOBS page object writes an announcement's fields (spiders/pages/usajobs.py).
    text = (
        "## Summary\nLead the agency's security program.\n\n## Qualifications\nYou must have one "
        "year of specialized experience. A bachelor's degree in information security.\n\n"
        "## Benefits\nTuition assistance for a master's degree."
    )
    read = extract_requirements(text)
    assert (read.degree_minimum, read.degree, read.years_experience) == ("bachelor", "bachelor", 1)


@pytest.mark.parametrize(
    ("index", "classes", "degrees"),
    [
        # Lucid Software, Security Analyst: "Security-related Certification(s): E.g.,
        # SSCP, CC, Security+, CySA+, etc." then, under "Preferred Qualifications:",
        # "One or more preferred Certification(s): CRISC, CISSP, CISA".
        (
            205,
            {
                "CISA": "preferred",
                "CISSP": "preferred",
                "CRISC": "preferred",
                "CySA+": "one_of",
                "Security+": "one_of",
            },
            ("bachelor", "bachelor"),
        ),
        # GitLab, Senior Internal Auditor: "an active relevant professional certification
        # such as Certified Public Accountant, Certified Internal Auditor, ...": spelled out.
        (
            265,
            dict.fromkeys(("CIA", "CISA", "CISM", "CISSP", "CRISC"), "one_of"),
            ("bachelor",) * 2,
        ),
        # Samsara: "An ideal candidate also has: ... GIAC Certified Incident Handler (GCIH)",
        # after "Bachelor's or Master's degree ... - or relevant industry experience".
        (243, {"GCIH": "preferred"}, ("none", "bachelor")),
    ],
)
def test_how_real_postings_ask(realdata, index, classes, degrees):
    description = json.loads((realdata / RADAR).read_text())[index]["description"]
    read = extract_requirements(description)
    assert read.certification_classes == classes
    assert (read.degree_minimum, read.degree) == degrees
    assert read.structure == "lines"
