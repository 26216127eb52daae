"""USAJOBS's own keys in usajobs.toml."""

from __future__ import annotations

from pydantic import Field

from spiders.sources.spec import EnvName, SourceSpec, Table

Param = str | int


class UsajobsSearch(Table):
    """One search: query parameters of the Search API
    (https://developer.usajobs.gov/api-reference/get-api-search). The spider sets ``Page`` and
    ``ResultsPerPage`` itself. A parameter missing here is refused: add it."""

    Keyword: Param | None = None
    PositionTitle: Param | None = None
    JobCategoryCode: Param | None = None
    LocationName: Param | None = None
    Organization: Param | None = None
    RemunerationMinimumAmount: Param | None = None
    RemunerationMaximumAmount: Param | None = None
    PayGradeLow: Param | None = None
    PayGradeHigh: Param | None = None
    JobGradeCode: Param | None = None
    PositionScheduleTypeCode: Param | None = None
    PositionOfferingTypeCode: Param | None = None
    SecurityClearanceRequired: Param | None = None
    SupervisoryStatus: Param | None = None
    HiringPath: Param | None = None
    WhoMayApply: Param | None = None
    RemoteIndicator: Param | None = None
    DatePosted: Param | None = None
    Radius: Param | None = None
    SortField: Param | None = None
    SortDirection: Param | None = None
    Fields: Param | None = None


class UsajobsSpec(SourceSpec):
    api_key_env: EnvName
    user_agent_env: EnvName
    # Up to 500 per page (the API's maximum).
    results_per_page: int = Field(ge=1, le=500)
    searches: list[UsajobsSearch]
