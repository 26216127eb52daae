"""Job titles to a family (is this a security manager?) and a seniority, by a decision table.

Families:
  security_manager        manages security work: "Information Security Manager", "Manager,
                          Security Operations", "Security Engineering Manager", "ISSM",
                          federal "Supervisory IT Specialist (INFOSEC)", security program
                          managers, and managers of a security function named without the
                          word: "GRC Program Manager", "IAM Manager", "Manager, Managed SOC",
                          "Engineering Manager, Detection", "DLP Technology Manager"
  security_leader         director, head, VP (AVP, SVP), chief, deputy CIO of security: CISO,
                          "Director, AppSec", "AVP, Information Security"
  security_ic             individual security work: engineer, analyst, architect, consultant,
                          specialist, researcher, penetration tester, ISSO
  security_other_manager  a manager or director beside security, not of it: physical, travel,
                          personnel and regional safety security; product, product marketing,
                          partner/channel, customer success, presales, account and developer-
                          relations managers of security products; directors/VPs of security
                          sales
  other                   everything else: non-security work, the commercial individual roles
                          selling security, guards, CIOs, and false friends: securities
                          (finance), SoC as system-on-chip, fraud-detection ML, and lawyers,
                          lecturers and journalists whose title mentions cybersecurity

The decision table (``_FAMILY``): a title is read for its subject (information security,
physical security, a false friend, or none), its function (the practice of security, a
commercial or product role around it, or another role such as recruiting or audit) and its
rank (leader, manager, individual); the first row that fits gives the family:

  subject      function             rank              family
  none         any                  any               other
  false friend any                  any               other
  physical     any                  leader, manager   security_other_manager
  physical     any                  individual        other
  information  commercial, product  leader, manager   security_other_manager
  information  commercial, product  individual        other
  information  other role           any               other  (but a CISO is a CISO)
  information  practice             leader            security_leader
  information  practice             manager           security_manager
  information  practice             individual        security_ic

Read for its subject, a title leaves out what it says about something else: a clearance
("TS/SCI Security Clearance") and the employer ("for a Leading Cyber Security Company").
A sales or account executive is an individual role, not an executive.

Seniority is the highest rung the title states: executive (chief, VP, CISO), director
(director, head of, German "Leitung"), manager (manager, supervisor, team lead, site or group
leader, "-leiter", "Gruppenleitung"), then for individual contributors principal, staff,
senior (senior, sr, lead, managing consultant, level III+ in capitals), junior (junior,
associate, graduate, level I in capitals), intern (summer associates too); mid when none is
stated. "(Senior) Consultant" counts as senior. SOC codes follow the 2018 Standard
Occupational Classification.
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
    r"kyber\w*",
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
    r"identity (?:governance|security)",
    r"access management",
    r"dlp",
    r"data loss prevention",
    r"cybermgt",
)
# Titles that name security but are about something else.
_FALSE_FRIEND = _words(
    r"securities",
    r"securitization",
    r"securitisation",
    r"lawyer",
    r"attorney",
    r"counsel",
    r"paralegal",
    r"lecturer",
    r"wissenschaftliche[rn]?",
    r"professor",
    r"teacher",
    r"instructor",
    r"journalist",
    r"reporter",
    r"editor",
    r"fraud detection",
    r"anti-fraud",
)
# SoC as a system on a chip: chip design, not a security operations centre.
_CHIP = re.compile(
    r"\bSoC\b|\bSOC\b(?=.*\b(?:ASIC|RTL|silicon|chip|design|verification|physical design|"
    r"firmware|FPGA|DFT|architect(?:ure)?)\b)|\b(?:ASIC|RTL|silicon|FPGA)\b.*\bSOC\b"
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
    r"travel security",
    r"personnel security",
    r"(?:regional )?safety",
    r"security and safety",
)
_INFO_OFFICER = _words(
    r"information (?:systems? )?security officer",
    r"isso",
    r"it[- ]security officer",
    r"cyber ?security officer",
)
# Commercial roles around security products: selling, marketing, supporting them.
_COMMERCIAL = _words(
    r"sales",
    r"account",
    r"accountmanager\w*",
    r"customer advis\w*",
    r"klantadviseur",
    r"kundenberater\w*",
    r"partner\w*",
    r"customer success",
    r"customer engineer",
    r"solutions?",
    r"pre-?sales",
    r"marketing",
    r"channel",
    r"alliances?",
    r"business development",
    r"developer relations",
    r"devrel",
    r"field engineer",
    r"technical account",
)
_NOT_SECURITY_ROLE = _words(
    r"recruit\w*",
    r"professor",
    r"chief of staff",
    r"hackathon",
    r"fellows",
    r"auditor",
    r"audit manager",
    r"chief information officer",
    r"cio",
    r"economist",
    r"(?<!cyber )policy(?! and strategy planner)",  # "National Security Policy", not cyber's
)
_PRODUCT = _words(r"product manag\w*", r"product management", r"product owner")
_EXECUTIVE = _words(
    r"chief",
    r"c[eftoi]o",
    r"ciso",
    r"c?iso",
    r"a?vp",
    r"svp",
    r"evp",
    r"vice president",
    r"president",
    r"(?:senior|cyber\w*) executives?",
    r"deputy administrator",
    r"vice presidents",
)
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
    r"tlm",
    r"(?:program|site|group|shift) leader",
    r"\w*leiter\w*",  # Teamleiter, Standortleiter
    r"(?:gruppen|team)leitung",
)
_INTERN = _words(
    r"intern",
    r"internship",
    r"working student",
    r"werkstudent\w*",
    r"praktik\w*",
    r"fellowship",
    r"skillbridge",
    r"summer (?:associate|analyst)s?",
)
_JUNIOR = _words(
    r"junior",
    r"jr\.?",
    r"associate",
    r"graduate",
    r"new grad\w*",
    r"entry[- ]level",
    r"apprentice",
    r"trainee",
    r"duales studium",
    r"[a-z]+ 1(?!\w)",
)
# Roman numerals in capitals only: "i" is "and" in Polish ("fizycznego i ciągłości").
_LEVEL_I = re.compile(r"\b(?i:[a-z]+) I(?!\w)")
_PRINCIPAL = _words(r"principal", r"distinguished", r"fellow", r"główn[ya]")
_STAFF = _words(r"staff\+?", r"sr\.? staff", r"senior staff")
_SENIOR = _words(
    r"senior",
    r"sr\.?",
    r"\(senior\)",
    r"lead",
    r"tech lead",
    r"expert",
    r"experte",
    r"managing consultant",
    r"(?:engineer|specialist|analyst|developer|scientist|consultant|architect) [3-5](?![\w.,])",
)
_LEVEL_III_UP = re.compile(r"\b(?:III|IV|V)\b")
_ROMAN_I = re.compile(r"(?:\s|^)I(?:\s*$|\s*[,(\-])")


# The families the report is about: a board's "security postings" count these, and crawls
# that fetch details only where they matter fetch them for these.
REPORTED_FAMILIES = frozenset({"security_manager", "security_leader"})


def soc_code(family: str) -> str | None:
    """The SOC 2018 code of a family, where one code fits it."""
    return SOC_CODES.get(family)


_CHIEF_OF_STAFF = _words(r"chief of staff")
_HEAD_OF = r"\w*(?<!gruppen)(?<!team)leitung"  # German: "Leitung IT-Sicherheit", "Bereichsleitung"
_LEADER = _words(
    r"director",
    r"head of",
    r"head",
    _HEAD_OF,
    r"chief",
    r"ciso",
    r"a?vp",
    r"svp",
    r"evp",
    r"vice president",
    r"deputy cio",
)
_CISO = _words(r"chief information security")
_DIRECTOR_RUNG = _words(r"director", r"sr\.? dir", r"head of", _HEAD_OF)
_EXECUTIVES = _words(r"(?<!sales )(?<!account )(?<!business )executives?")
_DEPUTY_CIO = _words(r"deputy (?:cio|chief information officer)")
# "(m/w/d)", "(M/V/X)" (Dutch), "(all genders)"
_GENDER = re.compile(r"\((?:[mfwdxgnv]/?)+\)\*?|\(all genders\)|\(gn\)", re.IGNORECASE)
# What a title says about something other than the job: a clearance it needs ("TS/SCI with
# a Full Scope Polygraph Security Clearance"), the employer it is for ("Team Leader for a
# Leading Global Cyber Security Company").
_ASIDE = re.compile(
    r"\bsecurity clearance\b|\b(?:for|at|with) (?:a|an|one of the)\b[^,()|]*\b(?:company|"
    r"companies|firm|vendor|provider|start-?up|scale-?up)\b",
    re.IGNORECASE,
)


def _seniority(title: str, is_manager: bool, is_leader: bool) -> str:
    chief_of_staff = bool(_CHIEF_OF_STAFF.search(title))
    executive = not chief_of_staff and bool(_EXECUTIVE.search(title))
    if is_leader or executive:
        return "executive" if executive else "director"
    if _DIRECTOR_RUNG.search(title):
        return "director"
    if is_manager:
        return "manager"
    if _INTERN.search(title):
        return "intern"
    if _PRINCIPAL.search(title):
        return "principal"
    if _STAFF.search(title) and not chief_of_staff:
        return "staff"
    if _SENIOR.search(title) or _LEVEL_III_UP.search(title):
        return "senior"
    if _JUNIOR.search(title) or _LEVEL_I.search(title) or _ROMAN_I.search(title):
        return "junior"
    return "mid"


# (subject, function, rank) -> family; "*" fits any. First fitting row wins.
_FAMILY = (
    ("none", "*", "*", "other"),
    ("false friend", "*", "*", "other"),
    ("physical", "*", "leader", "security_other_manager"),
    ("physical", "*", "manager", "security_other_manager"),
    ("physical", "*", "individual", "other"),
    ("information", "commercial", "leader", "security_other_manager"),
    ("information", "commercial", "manager", "security_other_manager"),
    ("information", "commercial", "individual", "other"),
    ("information", "other role", "*", "other"),
    ("information", "practice", "leader", "security_leader"),
    ("information", "practice", "manager", "security_manager"),
    ("information", "practice", "individual", "security_ic"),
)


def _family(subject: str, function: str, rank: str) -> str:
    for row_subject, row_function, row_rank, family in _FAMILY:
        if (
            row_subject in ("*", subject)
            and row_function in ("*", function)
            and row_rank in ("*", rank)
        ):
            return family
    raise AssertionError(f"the decision table has no row for {subject}, {function}, {rank}")


def _subject(text: str, security: bool) -> str:
    if not security:
        return "none"
    if _FALSE_FRIEND.search(text) or _CHIP.search(text):
        return "false friend"
    if _PHYSICAL.search(text) and not _INFO_OFFICER.search(text):
        return "physical"
    return "information"


def _function(text: str) -> str:
    if _CISO.search(text) or _DEPUTY_CIO.search(text):
        return "practice"  # "CISO & Head of Sales Engineering", "Deputy CIO, Cyber" lead it
    if _COMMERCIAL.search(text) or _PRODUCT.search(text):
        return "commercial"
    if _NOT_SECURITY_ROLE.search(text):
        return "other role"
    return "practice"


def classify_title(title: str | None) -> TitleClass:
    """The family and seniority of a job title (the decision table in the docstring)."""
    text = " ".join((title or "").split())
    if not text:
        return TitleClass("other", "mid")
    text = _GENDER.sub(" ", text)  # "(m/w/d)", "(all genders)" say nothing about the job
    security = bool(_SECURITY.search(_ASIDE.sub(" ", text)))
    manager = bool(_MANAGER.search(text))
    leader = bool(_LEADER.search(text)) and not _CHIEF_OF_STAFF.search(text)
    leader = leader or bool(security and _EXECUTIVES.search(text))
    rank = "leader" if leader else "manager" if manager else "individual"
    family = _family(_subject(text, security), _function(text), rank)
    other_manager = family == "security_other_manager"
    seniority = _seniority(
        text,
        is_manager=manager or (other_manager and not leader),
        is_leader=family == "security_leader" or (other_manager and leader),
    )
    return TitleClass(family, seniority)
