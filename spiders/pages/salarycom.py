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
from web_poet import WebPage

from spiders.items import PageFailure, SalaryObservation
from spiders.pages.salary_common import (
    US,
    distribution_observations,
    failure,
    occupation_geography,
    occupation_nodes,
)


@attrs.define
class SalaryComSalaryPage(WebPage):
    """A role's salary page, national or for one city: the base-pay percentiles."""

    def observations(self, role: str) -> list[SalaryObservation | PageFailure]:
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
            return [failure(url, "estimatedSalary without percentiles", json.dumps(node)[:500])]
        return [failure(url, "no Occupation JSON-LD with estimatedSalary", "")]
