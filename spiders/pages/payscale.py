"""PayScale salary research pages (www.payscale.com/research/US/Job=<Role>/Salary).

PayScale publishes its figures in schema.org JSON-LD, an ``OccupationAggregation`` whose
``estimatedSalary`` is a list of ``MonetaryAmountDistribution`` named ``base``, ``total`` and
``bonus`` (percentile10/25, median, percentile75/90, ``unitText`` YEAR), with ``sampleSize``
and ``occupationLocation``. That block is read first; the page's ``__NEXT_DATA__`` adds the
headline sentences ("The average pay for a ... is $X per year.") that give ``average``.
The recorded 2020 page ships its visible content hidden until JavaScript runs: the
structured layers are the only ones worth reading.
"""

from __future__ import annotations

import json
import re

import attrs

from spiders.items import PageFailure, SalaryFigure
from spiders.pages.base import SourcePage
from spiders.pages.salary_common import (
    LAYOUT_CHANGED,
    US,
    annual_last,
    distribution_observations,
    json_script,
    money,
    number,
    occupation_geography,
    occupation_nodes,
)

# Which percentiles of each named distribution become which metrics.
DISTRIBUTIONS = {
    "base": {
        "percentile10": "p10",
        "percentile25": "p25",
        "median": "median",
        "percentile75": "p75",
        "percentile90": "p90",
    },
    "total": {"median": "total_pay"},
    "bonus": {"median": "additional_pay"},
}
_NARRATIVE = re.compile(r"average pay for an? .+? is (\$[\d,.]+) per (year|hour)", re.IGNORECASE)


@attrs.define
class PayScaleSalaryPage(SourcePage):
    """A role's salary research page: base pay percentiles, total and bonus medians, average."""

    def observations(self, role: str) -> list[SalaryFigure | PageFailure]:
        url = str(self.url)
        nodes = [n for n in occupation_nodes(self) if isinstance(n.get("estimatedSalary"), list)]
        if not nodes:
            return [self.failure(LAYOUT_CHANGED, "no Occupation JSON-LD with estimatedSalary", "")]
        node = nodes[0]
        where = occupation_geography(node) or US
        sample = node.get("sampleSize")
        sample_size = int(number(sample)) if number(sample) is not None else None
        results: list[SalaryFigure | PageFailure] = []
        for distribution in node["estimatedSalary"]:
            if not isinstance(distribution, dict):
                continue
            metrics = DISTRIBUTIONS.get(str(distribution.get("name")).lower())
            if metrics:
                results.extend(
                    distribution_observations(
                        distribution,
                        url=url,
                        role=role,
                        where=where,
                        metrics=metrics,
                        sample_size=sample_size,
                    )
                )
        if not results:
            return [
                self.failure(
                    LAYOUT_CHANGED, "estimatedSalary without base/total/bonus", json.dumps(node)
                )
            ]
        results.extend(self._averages(url, role, where, sample_size))
        return annual_last(results)

    def _averages(self, url, role, where, sample_size) -> list[SalaryFigure]:
        """``average`` per year and per hour from the ``__NEXT_DATA__`` narratives."""
        data = json_script(self, "script#__NEXT_DATA__")
        try:
            narratives = data["props"]["pageProps"]["pageData"]["narratives"]  # type: ignore[index]
        except (KeyError, TypeError):
            return []
        found = []
        for sentence in narratives.values() if isinstance(narratives, dict) else []:
            match = _NARRATIVE.search(sentence) if isinstance(sentence, str) else None
            if match:
                found.append(
                    SalaryFigure(
                        url=url,
                        roleQuery=role,
                        geography=where,
                        metric="average",
                        value=money(match.group(1)),
                        period=match.group(2).lower(),
                        sampleSize=sample_size,
                        raw=sentence,
                    )
                )
        return found
