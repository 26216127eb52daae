"""What the report calls each source, the credit some sources' terms ask for, and which BLS
occupations stand for the article's role."""

from __future__ import annotations

SOURCE_NAMES = {
    "comparably": "Comparably",
    "ziprecruiter": "ZipRecruiter",
    "glassdoor": "Glassdoor",
    "greenhouse": "Greenhouse",
    "careers": "Career sites",
    "bls_oews": "BLS OEWS",
    "bls_cpi": "BLS CPI-U",
    "payscale": "PayScale",
    "salarycom": "Salary.com",
    "lever": "Lever",
    "ashby": "Ashby",
    "smartrecruiters": "SmartRecruiters",
    "workable": "Workable",
    "usajobs": "USAJOBS",
    "adzuna": "Adzuna",
    "remoteok": "Remote OK",
    "remotive": "Remotive",
    "ecb_fx": "ECB exchange rates",
    "postings": "Job postings",
}
# Sources whose terms ask reports that show their listings to name and link them.
ATTRIBUTION = {
    "adzuna": ("Jobs by Adzuna", "https://www.adzuna.com/"),
    "remoteok": ("Remote OK", "https://remoteok.com/"),
    "remotive": ("Remotive", "https://remotive.com/"),
}
BLS_SOURCE = "bls_oews"
# The SOC codes the article's role falls under, in BLS OEWS.
SOC_TITLES = {
    "11-3021": "Computer and information systems managers",
    "15-1212": "Information security analysts",
}


def source_name(source: str) -> str:
    return SOURCE_NAMES.get(source, source)
