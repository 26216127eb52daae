"""Job titles to a family (is this a security manager?) and a seniority, by keyword rules.

Families:
  security_manager        manages security work: "Information Security Manager", "Manager,
                          Security Operations", "Security Engineering Manager", "ISSM",
                          federal "Supervisory IT Specialist (INFOSEC)", security program managers
  security_leader         director, head, VP, chief of security: CISO, "Director, AppSec"
  security_ic             individual security work: engineer, analyst, architect, consultant,
                          specialist, researcher, penetration tester, ISSO, team/tech leads
  security_other_manager  a manager or director beside security, not of it: physical security,
                          product managers of security products, guard/loss-prevention managers
  other                   everything else (sales and customer roles selling security included,
                          security guards, CIOs)

Seniority is the highest rung the title states: executive (chief, VP, CISO), director
(director, head of), manager (manager, supervisor, team lead), then for individual
contributors principal, staff, senior (senior, sr, lead, level III+), junior (junior,
associate, graduate, level I), intern; mid when none is stated. "(Senior) Consultant" counts
as senior. SOC codes follow the 2018 Standard Occupational Classification.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SOC_CODES = {
    "security_manager": "11-3021",  # Computer and Information Systems Managers
    "security_ic": "15-1212",  # Information Security Analysts
}


@dataclass(frozen=True)
class TitleClass:
    family: str
    seniority: str


def _words(*patterns: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


_SECURITY = _words(
    r"security",
    r"secur\w*",
    r"cyber\w*",
    r"infosec",
    r"appsec",
    r"secops",
    r"devsecops",
    r"corpsec",
    r"it-security",
    r"sicherheit\w*",
    r"netzwerksicherheit",
    r"ciso",
    r"issm",
    r"isso",
    r"issp",
    r"soc",
    r"siem",
    r"psirt",
    r"grc",
    r"iam",
    r"red team",
    r"blue team",
    r"threat\w*",
    r"vulnerability",
    r"penetration",
    r"pen ?test\w*",
    r"pentest\w*",
    r"forensic\w*",
    r"incident response",
    r"detection",
    r"ethical hacker",
    r"malware",
    r"zero trust",
    r"identity and access",
    r"cybermgt",
)
# "Security" that is about guards, buildings and money, not information.
_PHYSICAL = _words(
    r"physical security",
    r"security officer \d",
    r"security operator",
    r"protective",
    r"loss prevention",
    r"asset protection",
    r"guard\w*",
    r"global security(?! operations)",
    r"corporate security(?! engineer)",
    r"national security",
    r"executive protection",
    r"security (?:supervisor|officer)(?!.*\b(?:information|cyber|it)\b)",
    r"supervisor, security",
    r"lead security officer",
)
_INFO_OFFICER = _words(r"information (?:systems? )?security officer", r"isso")
_NOT_SECURITY_ROLE = _words(
    r"sales",
    r"account",
    r"partner",
    r"customer success",
    r"customer engineer",
    r"solutions?",
    r"recruit\w*",
    r"marketing",
    r"channel",
    r"alliances?",
    r"professor",
    r"chief of staff",
    r"hackathon",
    r"fellows",
    r"auditor",
    r"audit manager",
    r"business development",
    r"field engineer",
    r"technical account",
    r"chief information officer",
    r"cio",
    r"economist",
    r"policy(?! and strategy planner)",
)
_PRODUCT = _words(r"product manag\w*", r"product management", r"product owner")
_EXECUTIVE = _words(
    r"chief",
    r"ciso",
    r"c?iso",
    r"vp",
    r"svp",
    r"evp",
    r"vice president",
    r"president",
    r"(?:senior|cyber\w*) executives?",
    r"deputy administrator",
)
_DIRECTOR = _words(r"director", r"head of", r"head", r"directeur", r"leiter\w*", r"leitung")
_MANAGER = _words(
    r"\w*manager\w*",
    r"mgr",
    r"supervisor\w*",
    r"supervisory",
    r"supv",
    r"team lead\w*",
    r"teamleiter\w*",
    r"issm",
    r"engineering manager",
)
_INTERN = _words(r"intern", r"internship", r"working student", r"werkstudent\w*", r"praktik\w*")
_JUNIOR = _words(
    r"junior",
    r"jr\.?",
    r"associate",
    r"graduate",
    r"new grad\w*",
    r"entry[- ]level",
    r"apprentice",
    r"trainee",
    r"[a-z]+ I(?!\w)",
)
_PRINCIPAL = _words(r"principal", r"distinguished", r"fellow")
_STAFF = _words(r"staff\+?", r"sr\.? staff", r"senior staff")
_SENIOR = _words(
    r"senior",
    r"sr\.?",
    r"\(senior\)",
    r"lead",
    r"tech lead",
    r"expert",
    r"experte",
    r"III",
    r"IV",
    r"V",
)
_ROMAN_I = re.compile(r"(?:\s|^)I(?:\s*$|\s*[,(\-])")


# The families the report is about: a board's "security postings" count these, and crawls
# that fetch details only where they matter fetch them for these.
REPORTED_FAMILIES = frozenset({"security_manager", "security_leader"})


def soc_code(family: str) -> str | None:
    """The SOC 2018 code of a family, where one code fits it."""
    return SOC_CODES.get(family)


_CHIEF_OF_STAFF = _words(r"chief of staff")
_LEADER = _words(r"director", r"head of", r"head", r"chief", r"ciso", r"vp", r"vice president")
_CISO = _words(r"chief information security")
_GENDER = re.compile(r"\((?:[mfwdxgn]/?)+\)\*?|\(all genders\)|\(gn\)", re.IGNORECASE)


def _seniority(title: str, is_manager: bool, is_leader: bool) -> str:
    chief_of_staff = bool(_CHIEF_OF_STAFF.search(title))
    if is_leader or (_EXECUTIVE.search(title) and not chief_of_staff):
        return "executive" if _EXECUTIVE.search(title) and not chief_of_staff else "director"
    if _words(r"director", r"head of").search(title):
        return "director"
    if is_manager:
        return "manager"
    if _INTERN.search(title):
        return "intern"
    if _PRINCIPAL.search(title):
        return "principal"
    if _STAFF.search(title) and not chief_of_staff:
        return "staff"
    if _SENIOR.search(title):
        return "senior"
    if _JUNIOR.search(title) or _ROMAN_I.search(title):
        return "junior"
    return "mid"


def classify_title(title: str | None) -> TitleClass:
    """The family and seniority of a job title."""
    text = " ".join((title or "").split())
    if not text:
        return TitleClass("other", "mid")
    text = _GENDER.sub(" ", text)  # "(m/w/d)", "(all genders)" say nothing about the job
    security = bool(_SECURITY.search(text))
    physical = bool(_PHYSICAL.search(text)) and not _INFO_OFFICER.search(text)
    manager = bool(_MANAGER.search(text))
    leader = bool(_LEADER.search(text)) and not _CHIEF_OF_STAFF.search(text)
    leader = leader or bool(security and _words(r"executives?").search(text))

    if security and (physical or _PRODUCT.search(text)):
        family = "security_other_manager" if (manager or leader) else "other"
    elif security and _NOT_SECURITY_ROLE.search(text) and not _CISO.search(text):
        family = "other"
    elif security and leader:
        family = "security_leader"
    elif security and manager:
        family = "security_manager"
    elif security:
        family = "security_ic"
    else:
        family = "other"
    other_manager = family == "security_other_manager"
    seniority = _seniority(
        text,
        is_manager=manager or (other_manager and not leader),
        is_leader=family == "security_leader" or (other_manager and leader),
    )
    return TitleClass(family, seniority)
