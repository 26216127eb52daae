"""Job titles to family and seniority, on titles from real security postings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.titles import TitleClass, classify_title, soc_code

FAMILIES = {"security_manager", "security_leader", "security_ic", "security_other_manager", "other"}
SENIORITIES = {
    "intern",
    "junior",
    "mid",
    "senior",
    "staff",
    "principal",
    "manager",
    "director",
    "executive",
}


@pytest.mark.parametrize(
    ("title", "family", "seniority"),
    [
        ("Information Security Manager", "security_manager", "manager"),
        ("Manager, Security Operations", "security_manager", "manager"),
        ("Information System Security Manager", "security_manager", "manager"),
        ("SUPV IT CYBERSECURITY SPECIALIST (INFOSEC)", "security_manager", "manager"),
        ("Principal Information Security Manager", "security_manager", "manager"),
        ("Director, Application Security", "security_leader", "director"),
        ("CHIEF INFORMATION SECURITY OFFICER", "security_leader", "executive"),
        ("Head of Security", "security_leader", "director"),
        ("Staff+ Application Security Engineer", "security_ic", "staff"),
        ("Sr. Application Security Engineer", "security_ic", "senior"),
        ("Junior Cyber Security Consultant (m/f/x)", "security_ic", "junior"),
        ("Security Engineer III, Product AppSec", "security_ic", "senior"),
        ("Information System Security Officer", "security_ic", "mid"),
        ("Physical Security Manager", "security_other_manager", "manager"),
        ("Senior Product Manager, Application Security", "security_other_manager", "manager"),
        ("Supervisor, Security", "security_other_manager", "manager"),
        ("Security Officer 3", "other", "mid"),
        ("Security Sales Engineer", "other", "mid"),
        ("Chief Information Officer", "other", "executive"),
        ("Java Software Engineer (Singapore)", "other", "mid"),
    ],
)
def test_real_titles(title, family, seniority):
    assert classify_title(title) == TitleClass(family, seniority)


def test_soc_codes():
    assert soc_code("security_manager") == "11-3021"
    assert soc_code("security_ic") == "15-1212"
    assert soc_code("security_leader") is None
    assert soc_code("other") is None


@given(st.text(max_size=120))
def test_any_text_gets_a_known_family_and_seniority(text):
    result = classify_title(text)
    assert result.family in FAMILIES and result.seniority in SENIORITIES


@given(st.sampled_from(["Security Engineer", "Security Analyst", "Security Architect"]))
def test_manager_suffix_makes_a_security_manager(base):
    assert classify_title(f"{base} Manager").family == "security_manager"
    assert classify_title(base).family == "security_ic"
