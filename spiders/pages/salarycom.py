"""Salary.com research pages (www.salary.com/research/salary/alternate/<role>-salary[/<city>]).

Each page carries schema.org ``Occupation`` JSON-LD (Google's estimated-salary structured
data) whose first ``estimatedSalary`` distribution gives the base-pay percentile10/25,
median, percentile75/90, and whose ``occupationLocation`` names the place ("United States",
or a city such as "San Francisco, CA"). That block is read; the visible chart repeats it.
Salary.com's figures come from employer-reported survey data, not a model: not estimates.
"""

from __future__ import annotations

import json

import attrs

from spiders.items import PageFailure, SalaryFigure
from spiders.pages.base import SourcePage
from spiders.pages.salary_common import (
    LAYOUT_CHANGED,
    US,
    distribution_observations,
    occupation_geography,
    occupation_nodes,
)


@attrs.define
class SalaryComSalaryPage(SourcePage):
    """A role's salary page, national or for one city: the base-pay percentiles."""

    def observations(self, role: str) -> list[SalaryFigure | PageFailure]:
        url = str(self.url)
        for node in occupation_nodes(self):
            distributions = node.get("estimatedSalary")
            if isinstance(distributions, dict):
                distributions = [distributions]
            if not isinstance(distributions, list) or not distributions:
                continue
            where = occupation_geography(node) or US
            found = []
            for distribution in distributions[:1]:
                if isinstance(distribution, dict):
                    found.extend(
                        distribution_observations(distribution, url=url, role=role, where=where)
                    )
            if found:
                return list(found)
            return [
                self.failure(
                    LAYOUT_CHANGED, "estimatedSalary without percentiles", json.dumps(node)
                )
            ]
        return [self.failure(LAYOUT_CHANGED, "no Occupation JSON-LD with estimatedSalary", "")]
