"""What the report calls each source and the credit some sources' terms ask for (both from the
source registry, spiders/sources/), and which BLS occupations stand for the article's role."""

from __future__ import annotations

from spiders.sources import attributions, display_name

# Names and credits come from each source's spec (spiders/sources/<name>.toml); "postings"
# stands for statistics the report computes from job postings.
POSTINGS = "postings"
# Sources whose terms ask reports that show their listings to name and link them.
ATTRIBUTION = attributions()
BLS_SOURCE = "bls_oews"
# The SOC codes the article's role falls under, in BLS OEWS.
SOC_TITLES = {
    "11-3021": "Computer and information systems managers",
    "15-1212": "Information security analysts",
}


def source_name(source: str) -> str:
    return "Job postings" if source == POSTINGS else display_name(source)
