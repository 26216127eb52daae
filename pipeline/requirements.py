"""What a posting asks for: certifications, degree levels, required or preferred, years.

``Requirements.degree`` is the highest level the posting asks for, required or preferred;
``degree_required`` says whether that level is asked for outright (not only "preferred",
"a plus", "nice to have"); ``degree_minimum`` is the lowest level it requires outright
("BS/MS in CS" requires a bachelor's) and ``degrees_accepted`` the higher levels it names only
as alternatives (there: the master's). ``equivalent_experience_ok`` says whether experience
may stand in for the degree. This is what the report needs to test the article's "a
master's degree is essential".

How a posting is read:

- Only the sentences around a degree word, a year or month count, or a certification's name
  are read; every other sentence adds nothing.
- Heading lines split the text into sections: under "Preferred qualifications", "Nice to
  have" or "Bonus points" a degree is preferred; under "Benefits", "About <company>" or
  "Equal opportunity" nothing counts. Sentences of such boilerplate (equal-opportunity
  statements, benefits, offers to pay for a certification or tuition) count nowhere.
- A degree needs degree context: "MS" alone is as likely Microsoft ("MS Visio"), "master"
  a verb or a title ("master our stack", "Master Scheduler"), so the bare abbreviations and
  "master(s)" count only before a field ("MS in CS"), "degree", or in a list with another
  degree ("BS/MS", "MS or PhD").
- The levels one sentence requires are alternatives: its lowest is what it requires, the
  higher ones are accepted ("BS, MS, or PhD" requires a bachelor's). The posting requires
  the highest of its sentences' requirements.
- A span of time counts as experience when experience is said near it ("5+ years building
  distributed systems", "Experience: 5 years", "36 months of experience" = 3), not when it
  is a time ("in the last 5 years", "7 years old", "founded 10 years ago").

Certifications are the canonical names in ``CERTIFICATIONS``; cloud providers' are counted
per provider ("AWS", "Azure", "Google Cloud"); DoD 8570/8140 levels as "IAT II", "IAM III",
"IASAE I", and the directive named without a level as "DoD 8570/8140".
``REQUIREMENTS_VERSION`` is stored with each row so rows read by an older extractor can be
found and read again.

Speed: cleaning reads every posting. Python's regex engine skips quickly to a literal
character, or (slower) to one of a set; so every pattern searched over a whole text starts
each alternative with a literal character (``_by_first_character``), and only the
sentences around what those searches find are read further. Inside a pattern, an
alternative is skipped cheaply only when it starts with a literal (not a group); a
sentence's start is found by one backward match (``_LAST_BREAK_IN_LINE``), not a loop over
the breaks before it; a pattern whose every alternative holds one word is tried only
where ``str.find`` finds that word. Hints and certifications are found by one search per
match (setting up a ``finditer`` costs several searches, and most texts hold a hint once or
not at all); a sentence's units of time are matched where its "years" hints are, not
searched for again; degree levels are carried as ranks, compared without key functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.casefold import lower_in_place
from pipeline.sections import OTHER_KINDS, Outline, outline

# Version 2: degree words need degree context; alternatives, sections, boilerplate; years
# in words and months; more certifications. Rows without a version are version 1.
# Version 3: sections from the description's structure (pipeline.sections); each
# certification required, one of alternatives, or preferred.
REQUIREMENTS_VERSION = 3
CERTIFICATION_CLASSES = ("required", "one_of", "preferred")
DEGREE_LEVELS = ("none", "associate", "bachelor", "master", "doctorate")
_RANK = {level: rank for rank, level in enumerate(DEGREE_LEVELS)}


def _by_first_character(alternatives: list[tuple[str, str]], after_first: str = "") -> list[str]:
    """(tag, alternative) pairs, each alternative starting with a literal character, as one
    pattern per first character: a pattern starting with one literal character is searched
    fastest (a plain character search), several times faster than one pattern whose
    alternatives start with different characters. ``after_first`` is tested right after the
    character (a boundary; ``{c}`` stands for the character). Alternative ``i`` is the group
    named ``a{i}``, the match's ``lastgroup``: alternatives hold no other capturing group.
    A plain second character stands before the group: the engine skips an alternative that
    starts with a literal at the cost of one comparison, but enters one that starts with a
    group (a third of the time of searching real descriptions for certifications)."""
    named = []
    for index, (_, alternative) in enumerate(alternatives):
        first, second, rest = alternative[0], alternative[1:2], alternative[2:]
        if not (second.isalnum() and rest[:1] not in ("?", "*", "+", "{")):
            second, rest = "", alternative[1:]  # not a plain character
        named.append(f"{first}{second}(?P<a{index}>{rest})")
    return [
        f"{first}{after_first.format(c=first)}(?:{'|'.join(rests)})"
        for first, rests in _by_first(named).items()
    ]


def _one_of_by_first_character(alternatives: list[str]) -> str:
    """Alternatives, each starting with a literal letter or digit, as one pattern grouped by
    that character: ``e(?:qual ...|-verify)|a(?:ffirmative ...|t no cost)``. The engine then
    tests one character per group at each place instead of one per alternative (searching a
    sentence for the boilerplate's 45 alternatives takes a third of the time). For patterns
    only asked whether they match: grouping may change which alternative wins."""
    return "|".join(
        f"{first}(?:{'|'.join(rests)})" for first, rests in _by_first(alternatives).items()
    )


def _by_first(alternatives: list[str]) -> dict[str, list[str]]:
    """The alternatives' rests by their first character, a literal one, in order."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        assert alternative[0].isalnum(), alternative  # a literal character
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return groups


def _tags(alternatives: list[tuple[str, str]]) -> dict[str, str]:
    """The alternatives' tags by their groups' names: a match's tag is ``tags[match.lastgroup]``."""
    return {f"a{index}": tag for index, (tag, _) in enumerate(alternatives)}


# --- Certifications: searched case-sensitively in the original text -------------------------

_NOT_GLUED = r"(?![\w+])"
# (canonical name, alternative). Names that also mean something else are marked "?": CISA
# is also the US agency ("CISA KEV"), CIA the agency and the "CIA triad", ITIL a framework
# besides its certificates, and a provider's name alone its cloud.
_CERT_ALTERNATIVES = [
    *(
        (name, name + _NOT_GLUED)
        for name in (
            *("CISSP", "CISM", "CRISC", "CCSP", "ISSMP", "ISSAP", "ISSEP", "CGEIT", "CCSK"),
            *("OSCP", "GSEC", "GCIH", "GCIA", "GSLC", "GSTRT", "GPEN", "GWAPT"),
            *("GCFA", "GCFE", "GREM", "GCED", "GICSP", "GCLD", "GCSA", "GPPA", "CKAD", "CKA"),
            *("CKS", "DAWIA"),
        )
    ),
    # GIAC names the issuer before a certification's own name ("GIAC Certified Incident
    # Handler (GCIH)"): then the certification counts, not GIAC.
    ("GIAC", r"GIAC" + _NOT_GLUED + r"(?!\s+(?!Certifications?\b)[A-Z][a-z])"),
    # Names spelled out, as auditors' and federal postings write them.
    ("CISSP", r"Certified Information Systems Security Professional"),
    ("CISM", r"Certified Information Security Manager"),
    ("CRISC", r"Certified in Risk and Information Systems? Control"),
    ("CCSP", r"Certified Cloud Security Professional"),
    ("CGEIT", r"Certified in (?:the )?Governance of Enterprise IT"),
    ("OSCP", r"Offensive Security Certified Professional"),
    ("GSEC", r"GIAC Security Essentials"),
    ("GCIH", r"GIAC Certified Incident Handler"),
    ("Security+", r"Security\s?\+"),  # "CompTIA Security+" holds it
    ("Security+", r"Sec\+"),
    ("CASP+", r"CASP\+?"),
    ("CASP+", r"CompTIA Advanced Security Practitioner"),
    ("CEH", r"CEH" + _NOT_GLUED),
    ("CEH", r"Certified Ethical Hacker"),
    ("OSCE", r"OSCE3?" + _NOT_GLUED),
    ("CySA+", r"CySA\+?" + _NOT_GLUED),
    ("CySA+", r"CYSA\+?" + _NOT_GLUED),
    ("CySA+", r"CompTIA Cybersecurity Analyst"),
    ("PMP", r"PMP" + _NOT_GLUED + r"(?!\s+(?:deals?|marketplace))"),  # not ad-tech's deals
    ("PMP", r"Project Management Professional"),
    ("CIA", r"Certified Internal Auditor"),
    ("CISA", r"Certified Information Systems Auditor"),
    ("DoD 8570/8140", r"DoDD?\s*(?:Directive\s*)?(?:8570|8140)" + _NOT_GLUED),
    ("AWS", r"AWS[- ][Cc]ertifi"),
    ("AWS", r"AWS (?:Solutions Architect|Security Specialty|SysOps|Cloud Practitioner|DevOps)"),
    ("Azure", r"AZ-\d{3}(?!\d)"),
    ("Azure", r"Azure (?:Security Engineer|Administrator|Solutions Architect|Fundamentals)"),
    ("Azure", r"Azure [Cc]ertifi"),  # "Microsoft Azure ..." holds these
    ("Google Cloud", r"Google Cloud (?:Certified|Professional|Associate|[Cc]ertifi)"),
    ("Google Cloud", r"GCP (?:[Cc]ertifi|Professional)"),
    ("Google Cloud", r"Professional Cloud Security Engineer"),
    # DoD 8570/8140 levels: "IAT Level II", "IAM-III", "IAT/IAM Level 2"; "IAM" alone is
    # identity and access management, so a level needs "Level", a hyphen or "II"/"III".
    (
        "DoD level",
        r"IA(?:T|SAE|M)(?:\s*/\s*IA(?:T|SAE|M))*(?:\s*[- ]\s*[Ll](?:evel|EVEL)\s*|"
        r"\s*-\s*|\s+(?=II))(?:III|II|I|[123])" + _NOT_GLUED,
    ),
    ("CISA?", r"CISA" + _NOT_GLUED),
    ("CIA?", r"CIA" + _NOT_GLUED + r"(?!\s+[Tt]riad)"),
    ("ITIL?", r"ITIL" + _NOT_GLUED),
    ("AWS?", r"AWS" + _NOT_GLUED),
    ("Azure?", r"Azure" + _NOT_GLUED),
    ("Google Cloud?", r"GCP" + _NOT_GLUED),
    ("Google Cloud?", r"Google Cloud" + _NOT_GLUED),
]
# (first letter, pattern): a pattern is searched only in texts holding its letter.
_CERTS = [
    (pattern[0], re.compile(pattern))
    for pattern in _by_first_character(_CERT_ALTERNATIVES, r"(?<![\w+]{c})")
]
_CERT_TAGS = _tags(_CERT_ALTERNATIVES)
_DOD_KIND = re.compile(r"IA(?:T|SAE|M)")
_DOD_LEVEL = re.compile(r"(III|II|I|[123])$")
_ROMAN = {"1": "I", "2": "II", "3": "III", "I": "I", "II": "II", "III": "III"}
_CLOUDS = ("AWS", "Azure", "Google Cloud")
CERTIFICATIONS = sorted(
    {name.rstrip("?") for name, _ in _CERT_ALTERNATIVES if name != "DoD level"}
    | {f"{kind} {level}" for kind in ("IAT", "IAM", "IASAE") for level in ("I", "II", "III")}
)
# What makes certifications the subject of a sentence (lower-cased)...
_CERT_CONTEXT = re.compile(r"certifi|credential|designation|accreditation|auditor")
# ...unless it is about the agency or the triad.
_NOT_CERTS = re.compile(r"triad|confidentiality|intelligence agency|known exploited|\bkev\b")
# An ambiguous name in a list with a certification: "CRISC, CISA, CISSP".
_LIST_BEFORE = re.compile(r"[A-Z][\w+]*\s*(?:,|/|\.|or|and)\s*$")  # "CISM. CISA": a typo
_LIST_AFTER = re.compile(r"\s*(?:,|/|or|and)\s*(?=[A-Z])")

# --- Degrees: searched in the lower-cased text ---------------------------------------------

# (kind, alternative). A kind is a level; "?" kinds count only with degree context (below);
# "generic" is a bachelor's unless it is the "degree" of a level just named ("Master's
# degree in"); "none" is school, below every degree (an alternative to one lowers it).
_DEGREE_ALTERNATIVES = [
    ("doctorate", r"ph(?<!non-ph)(?<!post-ph)\.?\s?ds?\b"),  # not "post-PhD experience"
    ("doctorate", r"doctorate"),
    ("doctorate", r"doctoral degree"),
    ("doctorate", r"doctor of (?:philosophy|science|engineering)"),
    ("doctorate", r"doktor(?:grad|titel)?\b"),
    ("doctorate", r"abgeschlossene promotion"),  # German; "promotion" alone is English
    ("doctorate", r"promotion (?:ist )?(?:wünschenswert|von vorteil|erwünscht)"),
    ("master", r"master['’]s\b"),
    ("master", r"m\.\s?sc?\b"),
    ("master", r"mba\b"),
    ("master", r"m\.eng\b"),
    ("master", r"graduate degree"),
    ("master", r"post-?\s?graduate"),
    ("master", r"advanced degree"),
    ("master", r"masterabschluss"),
    ("master", r"masterstudium"),
    ("master", r"diplom\b"),
    ("master?", r"masters?\b"),
    ("master?", r"ms\b"),
    ("master?", r"msc\b"),  # also a company ("MSC-Gruppe")
    ("master?", r"meng\b"),
    ("bachelor", r"bachelor(?:['’]?s)?\b"),
    ("bachelor", r"bachelorabschluss"),
    ("bachelor", r"b\.\s?sc?\b"),
    ("bachelor", r"b\.a\b"),
    ("bachelor", r"b\.eng\b"),
    ("bachelor", r"b\.\s?tech\b"),  # India's bachelor of technology
    ("bachelor?", r"btech\b"),
    ("bachelor", r"undergraduate\b"),
    ("bachelor", r"hochschulstudium"),
    ("bachelor", r"abgeschlossene[sn]?\s+(?:\((?!master)[\w-]*\)|(?!master)[\w-]*)?studium"),
    ("bachelor", r"erfolgreich\s+(?:abgeschlossene[sn]?\s+)?(?:\w+\s+)?studium"),
    ("generic", r"studium (?:im|in|der) "),
    ("bachelor?", r"bs\b"),
    ("bachelor?", r"bsc\b"),
    ("bachelor?", r"ba\b"),
    ("bachelor?", r"beng\b"),
    *(
        ("generic", rf"{kind} degree")
        for kind in ("university", "college", "technical", "academic", "stem", "engineering")
    ),
    *(("generic", rf"{kind} degree") for kind in ("relevant", "related", "4[- ]year")),
    ("generic", r"four[- ]year degree"),
    ("generic", r"degree in\b"),
    ("associate", r"associate(?:['’]?s)? degree"),
    ("none", r"high school (?:diploma|degree)"),
    ("none", r"ged\b"),
]
# Searched in a sentence: one pattern is faster there than one per character. A degree starts
# a word: a leading "\b", tried at every character, fails faster than the engine finds the
# next first character of an alternative (most letters are) and tries the alternatives there.
_DEGREE = re.compile(rf"\b(?:{'|'.join(_by_first_character(_DEGREE_ALTERNATIVES))})")
_DEGREE_TAGS = _tags(_DEGREE_ALTERNATIVES)
_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        (
            *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
            *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
            *("seventeen", "eighteen", "nineteen", "twenty"),
        )
    )
}
# Words grouped by first letter (``_one_of_by_first_character``), the longest first in each.
_NUMBER = r"\d{1,2}|" + _one_of_by_first_character(sorted(_NUMBER_WORDS, key=len, reverse=True))
# Degree context after a bare abbreviation or "master(s)": a field, "degree", "or equivalent".
_DEGREE_AFTER = re.compile(
    r"(?:['’]s)?\s*(?:degrees?\b|of (?:science|arts|business|engineering|education|information|"
    r"computer|public|technology|laws|fine)\b|in (?!(?:no|time|order|place|addition|charge|"
    r"which|all|any|it|them|your|our)\b)[a-z(]|program|level\b|-?\)?\s*studium|"
    r"or (?:an? )?equivalent|with (?:at least |a minimum of |minimum |more than |over |>\s*)?"
    rf"(?:{_NUMBER})\b)"  # "MS with 3+ years"
)
# A degree naming people, not a requirement: "supervise Ph.D. and non-Ph.D. scientists".
_PEOPLE = re.compile(
    r"\.?['’]?s?(?: and non-\S+)?\s+(?:scientists|researchers|students|holders|colleagues|staff|"
    r"programs)\b"
)
# "master" in a title: "Scrum Master in an agile environment"
_MASTER_TITLE = re.compile(r"(?:scrum|web|quiz|grand|head|post|task|toast)[ -]?$")
_MICROSOFT = re.compile(
    r"\s*(?:office|visio|excel|word|sql|teams|project|access|outlook|powerpoint|sharepoint|"
    r"exchange|windows|azure|dynamics|intune|defender|sentinel|entra|purview|o?365|power ?"
    r"(?:bi|apps|automate|point)|server|dos|edge|graph)\b"
)
# Between two degrees of a list: "BS/MS", "B.S. or M.S.", "Bachelor's or Master's degree".
_LIST = re.compile(r"\.?(?:['’]?s)?(?: degrees?)?\s*(?:/|,|&|or|and/or|,\s*or)\s*(?:an? )?")
_SLASH = re.compile(r"\s*/\s*")
# "Master's degree in", "(Master-)Studium in": the "degree in" of the degree just named
_OWN_DEGREE = re.compile(r"(?:['’]?s)?-?\)?\s*")
# Where a clause ends between two degrees: a qualifier before it is the first degree's.
_CLAUSE_BREAK = re.compile(r"[,;(]|\s(?:or|and|with|plus)\s|\s[-–—]\s")
# These two are only asked whether they match: grouped by first character.
_PREFERRED = re.compile(
    _one_of_by_first_character(
        [
            *("prefer", "a plus", "big plus", "huge plus", "strong plus", "definite plus"),
            *("nice[- ]to[- ]have", "bonus", "desired", "desirable", "ideally", "advantage"),
            *("beneficial", "good to have", "would be great", "wünschenswert", "von vorteil"),
        ]
    )
)
_EQUIVALENT = re.compile(
    _one_of_by_first_character(
        [
            "or (?:an? )?equivalent",
            "equivalent (?:practical |professional |work |combination|experience)",
            *("in lieu of", "or comparable", "or related (?:practical |work )?experience"),
            *("commensurate", r"or \d+\+? years", "oder (?:eine )?(?:vergleichbare|gleichwertige)"),
        ]
    )
)
_NO_DEGREE = re.compile(
    r"degrees? (?:is |are )?(?:not|n['’]t) (?:required|necessary|needed|mandatory)|no(?<![a-z]no) "
    r"(?:formal |college |university )?degree|without (?:a )?(?:formal |college |university )?"
    r"degree|not (?:need|require) (?:a )?(?:formal |college |university )?degree|n['’]t (?:need|"
    r"require) (?:a )?(?:formal |college |university )?degree"
)
_SUBSTITUTE = re.compile(
    r"substitut(?:e|ed|ion) (?:of )?(?:education|(?:a |your )?degree)|"
    r"(?:education|degree) (?:may|can) (?:be )?substitut"
)
_STARTS_WITH_OR = re.compile(r"[\s•▪*+-]*or\b")
# Past a sentence's break, where the next one starts if it starts with "or".
_OR_NEXT = re.compile(r"[\s;.!?•▪*+-]*(?=or\b)")

# --- Years of experience: searched in the lower-cased text ---------------------------------

_UNIT = re.compile(r"y(?:ears?|rs?)\b|months?\b|jahre?n?\b")
# What may stand before a unit: "5+", "3-5", "five (5)", "one to three", "2 - 4 +".
_COUNT_BEFORE = re.compile(
    rf"(?P<number>{_NUMBER})\b(?:\s*\(\s*\d{{1,2}}\s*\))?\s*(?:\+|plus)?(?:\s*(?:-|–|—|to)\s*"
    rf"(?:{_NUMBER})\b(?:\s*\(\s*\d{{1,2}}\s*\))?)?\s*\+?\s*(?:full[- ]time\s+)?$"
)
_COUNT_REACH = 32  # how far before its unit a count may start ("five (5) to seven (7) ")
_NOT_BEFORE_A_COUNT = ".,$€£/-_"  # "1.5", "$5", "GS-12": not a count of years
# Spans of time that are not experience: "7 years old", "founded 10 years ago".
_NOT_EXPERIENCE_AFTER = re.compile(
    r"\s*(?:old|ago|later|from now|running|in a row|straight|to (?:exercise|vest)|of (?:age|"
    r"growth|history|innovation|service|operation|existence|trust|success|data)\b)"
)
_NOT_EXPERIENCE_BEFORE = re.compile(
    r"(?:last|past|next|previous|first|coming|within|every|after|per|each|up to|once)\W*$"
)
# What says a span of time is experience, right after it: "5+ years building", "in".
_EXPERIENCE_NEXT = re.compile(
    r"['’]?s?\s*[+)]?\s*(?:(?:of|in|as|on|at)\b|experience|exp\b|"
    r"(?:berufs)?erfahrung|hands-on|professional|relevant|industry|prior|progressive|combined|"
    r"full-time|post-|(?!during|running|remaining|according|starting|beginning|following)"
    r"[a-z]{2,}ing\b)"
)
_EXPERIENCE_WORD = re.compile(r"experience|erfahrung|\bexp\b|\bwork")
_EXPERIENCE_AFTER_REACH = 150
# Before a span of time: "Experience: 5 years", "You've managed engineers for 2+ years".
_EXPERIENCE_BEFORE = re.compile(r"experience|erfahrung|\bexp\b|you['’]ve|you have")
_EXPERIENCE_BEFORE_REACH = 60
# A second span of time in a sentence "with" or "preferably" after the first is part of
# it ("5 years in security, with at least 3 focused on cloud"), not a smaller minimum;
# after "or" it is an alternative ("7 years with a bachelor's or 5 with a master's").
_PART_OF_THE_FIRST = re.compile(r"\bwith\b|prefer")
_ALTERNATIVE = re.compile(r"\bor\b")

# --- Sentences, sections, boilerplate ------------------------------------------------------

# Where to look: a unit of time ("years" hints), a degree word, "degree" or "diploma" (for
# "in lieu of a degree", "no degree required"). One pattern per first letter (see
# ``_by_first_character``): y, j, m, b or d, few in English text ("phd", "graduate",
# "studium" are found by their "d"). Short hints must start a word (not "forms", "jobs").
# Each with the word its matches hold when most texts lack it: ``in`` rules such a text out
# faster than a search.
_YEARS_HINTS = [
    (re.compile(r"y(?:ear|rs?\b)"), ""),
    (re.compile("jahr"), "jahr"),
    (re.compile("month"), "month"),
]
_DEGREE_HINTS = [
    (re.compile(r"m(?:aster|otion(?<=promotion)|(?<![a-z]m)(?:s\b|sc|ba|eng|\.))"), ""),
    (re.compile(r"b(?:achelor|(?<![a-z]b)(?:s\b|sc|a\b|eng|tech|\.))"), ""),
    # A word's last "d" is common ("and", "required"): one look back at the letter before
    # it rules most out before the looks back at "ged", "phd", "ph.d" and "ph. d".
    (
        re.compile(
            r"d(?:egree|iplom|o[ck]tor|uate(?<=graduate)|ium(?<=studium)|"
            r"s\b(?<=phds)|\b(?<=[eh. ]d)(?:(?<=\bged|\bphd)|(?<=ph\.d)|(?<=ph\. d)))"
        ),
        "",
    ),
]
# A sentence ends at a line break, a bullet, or ".", "!", "?", ";" before whitespace; not
# at the "." of an abbreviation with inner dots ("B.S. or M.S.", "Ph.D. in", "e.g. "), which
# would split the alternatives of one requirement. The break's character comes first, then
# what it needs around it: the engine skips to a character of a set, but tries a pattern
# starting with alternatives at every character (three times slower).
_BREAK_IN_LINE = re.compile(
    r"[•▪!?;.*-](?:(?<=[•▪])|(?<=[!?;])(?=\s)|(?<=\.)(?<!\.\w\.)(?<!\.\w\w\.)(?=\s)|(?<=\s[-*])(?=\s))"
)
# The last break before a place: the greedy ".*" runs to the end of the window and backs
# off to the last place a break matches, in one call instead of a loop over every break.
_LAST_BREAK_IN_LINE = re.compile(rf"(?s:.*)(?:{_BREAK_IN_LINE.pattern})")
_REACH = 600  # how far back a sentence's start is looked for
# Boilerplate sentences: equal opportunity, benefits, and offers to pay for a
# certification or a degree (not requirements). Searched in every sentence read, so as one
# pattern factored by first character (``_one_of_by_first_character``).
_BOILERPLATE_ALTERNATIVES = [
    *("equal (?:employment )?opportunit", "affirmative action", "without regard"),
    "regardless of (?:race|age|sex|gender|religion|color|national)",
    *("race, (?:color|religion|creed)", "sexual orientation", "gender identity"),
    *("national origin", "veteran status", "protected veteran", "reasonable accommodation"),
    *("based (?:solely )?on merit", "e-verify", r"401\(?k\)?", "paid time off"),
    *(r"pto\b(?<![a-z]pto)", "parental leave", "health insurance", "dental", "stock options?"),
    *(r"rsu(?<![a-z]rsu)s?\b", "vesting", "tuition", "reimburs", "stipend", "perks"),
    *("benefits (?:package|include)", "retirement plan", "pension", "paid holiday"),
    *("vacation", "sick leave", r"we (?:will |['’]ll )?(?:pay|cover|sponsor|fund)\b"),
    *("paid for by", "company[- ](?:paid|sponsored|funded)"),
    *("employer[- ](?:paid|sponsored|funded)", "at no cost", "training (?:budget|allowance)"),
    "learning (?:budget|allowance)",
    "education(?:al)? (?:budget|allowance|assistance)",
    "development (?:budget|allowance|fund)",
    "opportunit(?:y|ies) to (?:earn|obtain|pursue|gain)",
    r"support (?:you )?(?:in |with |to )?(?:obtain|earn|pursu|get)\w* (?:a |your |the )?"
    "(?:certif|degree)",
    *("help you (?:obtain|earn|get)", "can acquire"),
]
_BOILERPLATE = re.compile(_one_of_by_first_character(_BOILERPLATE_ALTERNATIVES))
# In a "preferred" section, a sentence's own words make what it names required.
_REQUIRED_WORDS = re.compile(r"required|\bmust\b|mandatory|essential")
# Certifications offered as alternatives: "one of CISSP, CISM or CISA", "CISSP or equivalent".
_ONE_OF = re.compile(
    r"\b(?:o(?:ne of|r (?:an? )?(?:equivalent|similar|comparable|related|other|another))\b"
    r"|a(?:ny of|nd/or)\b|e(?:ither\b|\.g\.|tc\b)|such as\b|for example\b|certifications? like\b)"
)
_BETWEEN_ALTERNATIVES = re.compile(r"\bor\b|/")
_CLASS_RANK = {"preferred": 0, "one_of": 1, "required": 2}


@dataclass(slots=True)
class Requirements:
    """What ``extract_requirements`` read. orjson writes it as it stands, its fields in this
    order as the keys of the JSON document stored with a posting (``as_dict``'s)."""

    certifications: list[str] = field(default_factory=list)
    degree: str = "none"  # the highest level asked for: none | associate | ... | doctorate
    degree_required: bool = False  # that level is required outright
    equivalent_experience_ok: bool = False
    years_experience: int | None = None  # the smallest minimum stated
    degree_minimum: str = "none"  # the lowest level required outright
    degrees_accepted: list[str] = field(default_factory=list)  # higher, as alternatives only
    # name -> "required" | "one_of" | "preferred", for each of ``certifications``
    certification_classes: dict[str, str] = field(default_factory=dict)
    structure: str = "flat"  # where sections came from: "marked", "lines" or "flat"
    version: int = REQUIREMENTS_VERSION  # of the reader that read it

    def as_dict(self) -> dict:
        # dataclasses.asdict without its recursive deep copy (new lists, the same strings).
        return {
            "certifications": list(self.certifications),
            "degree": self.degree,
            "degree_required": self.degree_required,
            "equivalent_experience_ok": self.equivalent_experience_ok,
            "years_experience": self.years_experience,
            "degree_minimum": self.degree_minimum,
            "degrees_accepted": list(self.degrees_accepted),
            "certification_classes": dict(self.certification_classes),
            "structure": self.structure,
            "version": self.version,
        }


def extract_requirements(text: str | None, shape: Outline | None = None) -> Requirements:
    """Certifications, degrees and experience a posting's text asks for. ``shape``: the
    text's ``pipeline.sections.outline``, when the caller has it already."""
    if not text:
        return Requirements()
    reader = _Reader(text, shape)
    lower = reader.lower
    # (where, whether a "years" hint). A search per match, not a finditer: setting up a
    # finditer costs as much as four searches, and most texts hold a hint pattern once or not.
    hints = []
    for years, patterns in ((True, _YEARS_HINTS), (False, _DEGREE_HINTS)):
        for pattern, word in patterns:
            if word and word not in lower:
                continue
            match = pattern.search(lower)
            while match:
                hints.append((match.start(), years))
                match = pattern.search(lower, match.end())
    hints.sort()
    # The sentence being gathered: start, end, where its "years" hints are, whether it holds
    # a degree hint.
    sentence = None
    for at, years in hints:
        if not sentence or at >= sentence[1]:
            if sentence:
                reader.read_sentence(*sentence)
            sentence = [*reader.sentence_around(at), [], False]
        if years:
            sentence[2].append(at)
        else:
            sentence[3] = True
    if sentence:
        reader.read_sentence(*sentence)
    return reader.result(reader.certifications())


class _Reader:
    """What the sentences read so far ask for; sentences are read in the text's order."""

    def __init__(self, text: str, shape: Outline | None = None) -> None:
        self.text = text
        self.lower = lower_in_place(text)
        self._outline = shape
        # Per degree statement (a sentence, with an "or ..." sentence continuing it): the
        # levels it requires and the levels it prefers, as ranks (``_RANK``).
        self.statements: list[tuple[set[int], set[int]]] = []
        self.statement_end = -1
        self.read: set[int] = set()  # the starts of the sentences read
        self.equivalent = False
        self.years: list[int] = []
        self.substitutes: set[int] = set()  # levels (ranks) that may stand in for experience

    def sentence_around(self, at: int) -> tuple[int, int]:
        """Where the sentence holding the letter at ``at`` starts and ends (before its break)."""
        lower = self.lower
        reach = max(0, at - _REACH)
        start = lower.rfind("\n", reach, at) + 1 or reach
        last_break = _LAST_BREAK_IN_LINE.match(lower, start, at)
        if last_break:
            start = last_break.end()
        line_end = lower.find("\n", at)
        if line_end < 0:
            line_end = len(lower)
        end = _BREAK_IN_LINE.search(lower, at, line_end)
        return start, end.start() if end else line_end

    @property
    def outline(self) -> Outline:
        if self._outline is None:
            self._outline = outline(self.text, self.lower)
        return self._outline

    def section(self, at: int) -> str:
        """The kind of the section holding ``at`` (``pipeline.sections.KINDS``)."""
        return (self._outline or self.outline).kind_at(at)

    def read_sentence(self, start: int, end: int, years: bool | list[int], degrees: bool) -> None:
        """Read a sentence holding "years" hints (``years``: where they are, or True to look
        for them), degree hints or both."""
        if start in self.read:
            return
        self.read.add(start)
        # The section first: finding it is cheaper than searching for boilerplate.
        section = self.section(start)
        if section in OTHER_KINDS or _BOILERPLATE.search(self.lower, start, end):
            return
        found = self._years(start, end, years) if years else []
        tokens = _degree_tokens(self.lower, start, end) if degrees else []
        # "; OR 3+ years of experience" may continue a degree statement, degree hint or not.
        continues = bool(self.statements) and bool(_STARTS_WITH_OR.match(self.lower, start))
        if not (found or tokens or degrees or continues):
            return  # nothing to read
        self.years += found
        if degrees or continues:
            self._read_degrees(start, end, tokens, preferred_section=section == "preferred")

    def _years(self, start: int, end: int, hints: bool | list[int]) -> list[int]:
        """The years of experience a sentence states; ``hints``: where its "years" hints
        are, or True to look for them."""
        lower = self.lower
        found = []
        first_end = -1  # where the sentence's first span of time of experience ends
        # A unit of time starts where a "years" hint does: matched there, not searched for.
        units = (
            _UNIT.finditer(lower, start, end)
            if hints is True
            else [unit for at in hints if (unit := _UNIT.match(lower, at, end))]
        )
        for unit in units:
            window = max(start, unit.start() - _COUNT_REACH)
            count = _COUNT_BEFORE.search(lower, window, unit.start())
            if not count:
                continue
            at, after = count.start(), unit.end()
            if at and (lower[at - 1].isalnum() or lower[at - 1] in _NOT_BEFORE_A_COUNT):
                continue
            number = count["number"]
            value = int(number) if number.isdigit() else _NUMBER_WORDS[number]
            if unit.group().startswith("month"):
                value //= 12  # whole years: "18 months" is at least one
            if not 0 < value <= 40:
                continue
            if _NOT_EXPERIENCE_AFTER.match(lower, after, end) or _NOT_EXPERIENCE_BEFORE.search(
                lower, max(start, at - 16), at
            ):
                continue
            if not (
                _EXPERIENCE_NEXT.match(lower, after, end)
                or _EXPERIENCE_WORD.search(lower, after, min(end, after + _EXPERIENCE_AFTER_REACH))
                or _EXPERIENCE_BEFORE.search(lower, max(start, at - _EXPERIENCE_BEFORE_REACH), at)
            ):
                continue
            if first_end < 0:
                first_end = after
            elif _PART_OF_THE_FIRST.search(lower, first_end, at) and not _ALTERNATIVE.search(
                lower, first_end, at
            ):
                continue
            found.append(value)
        return found

    def _read_degrees(
        self, start: int, end: int, tokens: list[tuple[int, int, int]], preferred_section: bool
    ) -> None:
        lower = self.lower
        # "OR 3+ years of experience in lieu of a degree" continues the sentence before.
        continues = (
            self.statements
            and _STARTS_WITH_OR.match(lower, start)
            and not lower[self.statement_end : start].strip(" \t\n;•▪*+-.")
        )
        if not tokens:
            if (continues and _EQUIVALENT.search(lower, start, end)) or (
                "lieu of" in lower[start:end] and "degree" in lower[start:end]
            ):
                self.equivalent = True
            if continues:
                self.statement_end = end  # "; OR 8 years ...; OR PhD ..." goes on
            return
        # Every alternative of these holds "degree", of these "substitut": a plain find first.
        if lower.find("degree", start, end) >= 0 and _NO_DEGREE.search(lower, start, end):
            return
        if (lower.find("substitut", start, end) >= 0 and _SUBSTITUTE.search(lower, start, end)) or (
            not continues and _STARTS_WITH_OR.match(lower, start)
        ):
            # USAJOBS: "You may substitute education for specialized experience: Master's
            # ...", or "[one year of specialized experience] OR a Ph.D. ...": a degree that
            # may stand in for experience is accepted, not required.
            self.substitutes.update(rank for _, _, rank in tokens)
            return
        if not self.equivalent and _EQUIVALENT.search(lower, start, end):
            self.equivalent = True
        required: set[int] = set()
        preferred: set[int] = set()
        for levels, (qualifier_start, qualifier_end) in _groups(lower, tokens, start, end):
            prefers = _PREFERRED.search(lower, qualifier_start, qualifier_end) or (
                preferred_section
                and not _REQUIRED_WORDS.search(lower, qualifier_start, qualifier_end)
            )
            (preferred if prefers else required).update(levels)
        if continues:
            self.statements[-1][0].update(required)
            self.statements[-1][1].update(preferred)
        else:
            self.statements.append((required, preferred))
        self.statement_end = end
        # The next sentence continues this one if it starts with "or", hints or not
        # ("BS/MS/PhD in a STEM field\nor equivalent experience").
        following = _OR_NEXT.match(lower, end)
        if following:
            self.read_sentence(*self.sentence_around(following.end()), True, True)

    def certifications(self) -> dict[str, str]:
        """Each certification asked for, and how: "required", "one_of" (an alternative to
        another: "CISSP, CISM or CISA", "one of", "or equivalent") or "preferred" (a
        preferred section, or "a plus" in its sentence). Named twice, the strongest counts."""
        classes: dict[str, str] = {}
        text = self.text
        matches = []
        for letter, pattern in _CERTS:
            if letter in text:  # a search per match, not a finditer (``extract_requirements``)
                match = pattern.search(text)
                while match:
                    matches.append(match)
                    match = pattern.search(text, match.end())
        matches.sort(key=re.Match.start)
        sentence: list[tuple[re.Match, list[str]]] = []
        start = end = -1
        lower = self.lower
        for match in matches:
            at = match.start()
            if not start <= at < end:  # a new sentence
                if sentence:
                    self._classify(sentence, start, end, classes)
                    sentence = []
                start, end = self.sentence_around(at)
                counts = not (
                    self.section(at) in OTHER_KINDS or _BOILERPLATE.search(lower, start, end)
                )
            if counts:
                names = self._names(match, start, end)
                if names:
                    sentence.append((match, names))
        self._classify(sentence, start, end, classes)
        return classes

    def _names(self, match: re.Match, start: int, end: int) -> list[str]:
        """The certifications a match names, [] when it does not name one here."""
        name = _CERT_TAGS[match.lastgroup]
        if name == "DoD level":
            level = _ROMAN[_DOD_LEVEL.search(match.group())[1]]
            return [f"{kind} {level}" for kind in _DOD_KIND.findall(match.group())]
        if not name.endswith("?"):
            return [name]
        at = match.start()
        if name.rstrip("?") in _CLOUDS:
            # a provider's certifications: "cloud certifications (Azure, AWS, GCP)"
            near = _CERT_CONTEXT.search(self.lower, max(start, at - 40), min(end, match.end() + 25))
            return [name.rstrip("?")] if near else []
        if self._about_certifications(start, end) or self._in_a_list_of_certifications(match):
            return [name.rstrip("?")]
        return []

    def _about_certifications(self, start: int, end: int) -> bool:
        """Whether certifications are the subject of a sentence; asked only for an ambiguous
        name, so most sentences naming certifications are not searched for it."""
        lower = self.lower
        return bool(_CERT_CONTEXT.search(lower, start, end)) and not (
            _NOT_CERTS.search(lower, start, end)
        )

    def _classify(
        self, found: list[tuple[re.Match, list[str]]], start: int, end: int, into: dict[str, str]
    ) -> None:
        """Class the certifications one sentence names, into ``into``."""
        if not found:
            return
        lower = self.lower
        if _PREFERRED.search(lower, start, end) or (
            self.section(start) == "preferred" and not _REQUIRED_WORDS.search(lower, start, end)
        ):
            kind = "preferred"
        elif _ONE_OF.search(lower, start, end) or any(
            _BETWEEN_ALTERNATIVES.search(lower, left.end(), right.start())
            for (left, _), (right, _) in zip(found, found[1:], strict=False)
            if right.start() - left.end() <= 40
        ):
            kind = "one_of"
        else:
            kind = "required"
        for _, names in found:
            for name in names:
                if _CLASS_RANK[kind] > _CLASS_RANK.get(into.get(name, ""), -1):
                    into[name] = kind

    def _in_a_list_of_certifications(self, match: re.Match) -> bool:
        text = self.text
        before = _LIST_BEFORE.search(text, max(0, match.start() - 12), match.start())
        after = _LIST_AFTER.match(text, match.end())
        for neighbour in (before and before.start(), after and after.end()):
            if neighbour is not None:
                for _, pattern in _CERTS:
                    other = pattern.match(text, neighbour)
                    if other and not _CERT_TAGS[other.lastgroup].endswith("?"):
                        return True
        return False

    def result(self, certifications: dict[str, str]) -> Requirements:
        minimum = degree = 0  # ranks; 0 is "none"
        accepted = []
        if self.statements or self.substitutes:  # else no degree is named
            # A statement asks for its lowest level, required or preferred; the other levels
            # named (and substitutes) are accepted. One pass over ranks, no key functions.
            asked = set()
            named = set(self.substitutes)
            for required, preferred in self.statements:
                if required:
                    lowest = min(required)
                    asked.add(lowest)
                    if lowest > minimum:
                        minimum = lowest
                if preferred:
                    asked.add(min(preferred))
                named |= required
                named |= preferred
            if asked:
                degree = max(asked)
            named -= asked
            if named:
                accepted = [DEGREE_LEVELS[rank] for rank in sorted(named) if rank > minimum]
        classes = (
            dict(sorted(certifications.items())) if len(certifications) > 1 else certifications
        )
        # Positional: a class called with keywords gathers them in a dict first (that took
        # a third of this function's time).
        return Requirements(
            list(classes),  # certifications
            DEGREE_LEVELS[degree],  # degree
            degree > 0 and minimum == degree,  # degree_required
            self.equivalent,  # equivalent_experience_ok
            min(self.years) if self.years else None,  # years_experience
            DEGREE_LEVELS[minimum],  # degree_minimum
            accepted,  # degrees_accepted
            classes,  # certification_classes
            self.outline.structure,  # structure
        )


def _degree_tokens(lower: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """The degrees a sentence names, as (start, end, the level's rank), with degree context."""
    found: list[tuple[int, int, str]] = []
    match = _DEGREE.search(lower, start, end)  # a search per degree (``extract_requirements``)
    while match:
        at, after = match.span()
        kind = _DEGREE_TAGS[match.lastgroup]
        the_last_ones = (
            kind == "generic" and found and _OWN_DEGREE.fullmatch(lower, found[-1][1], at)
        )
        a_title = kind == "master?" and _MASTER_TITLE.search(lower, max(0, at - 7), at)
        if not (the_last_ones or a_title or _PEOPLE.match(lower, after, end)):
            if kind == "generic":
                kind = "bachelor"
            elif (
                kind == "master?" and match.group() == "ms" and _MICROSOFT.match(lower, after, end)
            ):
                kind = "microsoft"  # kept: it ends a list ("MS Office, BS ...")
            found.append((at, after, kind))
        match = _DEGREE.search(lower, after, end)
    accepted = [
        kind != "microsoft"
        and (not kind.endswith("?") or bool(_DEGREE_AFTER.match(lower, token_end, end)))
        for _, token_end, kind in found
    ]
    # A bare abbreviation in a list with a degree counts ("BS, MS, or PhD"), whichever side
    # the degree is on; two bare ones count together only joined by "/" ("BS/BA").
    changed = len(found) > 1
    while changed:
        changed = False
        for index in range(len(found) - 1):
            (_, left_end, left), (right_start, _, right) = found[index], found[index + 1]
            if accepted[index] == accepted[index + 1] and not (
                not accepted[index]
                and left.endswith("?")
                and right.endswith("?")
                and _SLASH.fullmatch(lower, left_end, right_start)
            ):
                continue
            if "microsoft" not in (left, right) and _LIST.fullmatch(lower, left_end, right_start):
                accepted[index] = accepted[index + 1] = changed = True
    return [
        (token_start, token_end, _RANK[kind.rstrip("?")])
        for (token_start, token_end, kind), ok in zip(found, accepted, strict=True)
        if ok
    ]


def _groups(
    lower: str, tokens: list[tuple[int, int, int]], start: int, end: int
) -> list[tuple[set[int], tuple[int, int]]]:
    """A sentence's degrees in groups of alternatives joined as a list ("Bachelor's or
    Master's degree"), each with the part of the sentence that qualifies it: a qualifier
    before the first group or after the last is theirs; one between two groups is the
    first's if it comes before a clause break ("Bachelor's required, Master's preferred")."""
    groups: list[list[tuple[int, int, int]]] = [[tokens[0]]]
    for previous, token in zip(tokens, tokens[1:], strict=False):
        if _LIST.fullmatch(lower, previous[1], token[0]):
            groups[-1].append(token)
        else:
            groups.append([token])
    qualified = []
    qualifier_start = start
    for index, group in enumerate(groups):
        if index + 1 < len(groups):
            after, following = group[-1][1], groups[index + 1][0][0]
            cut = _CLAUSE_BREAK.search(lower, after, following)
            qualifier_end = cut.start() if cut else after
        else:
            qualifier_end = end
        qualified.append(({rank for _, _, rank in group}, (qualifier_start, qualifier_end)))
        qualifier_start = qualifier_end
    return qualified
