"""ZipRecruiter's own keys in ziprecruiter.toml: the salary pages to read."""

from __future__ import annotations

from spiders.sources.spec import SalaryPagesSpec


class ZipRecruiterSpec(SalaryPagesSpec):
    pass
