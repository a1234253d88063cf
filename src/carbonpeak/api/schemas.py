"""The API's request and response bodies (pydantic), and the error shape every error has."""

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from carbonpeak.services.accounts import Role

__all__ = [
    "ActiveBody",
    "Decision",
    "ErrorBody",
    "IndicatorReportBody",
    "IngestBody",
    "IsoDate",
    "NewToken",
    "NewUser",
    "Page",
    "ProblemBody",
    "Reading",
    "ReadingCounts",
    "ReviewBody",
    "Strict",
    "TaskProgressBody",
]


def _iso_date(value: object) -> object:
    # JSON has no date type: only an ISO 8601 string may become one (not 0, not 1.5e9).
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected an ISO 8601 date string, YYYY-MM-DD")
    return date.fromisoformat(value)


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class ProblemBody(BaseModel):
    location: str
    problem: str
    expected: str | None = None
    found: str | int | float | None = None


class ErrorBody(BaseModel):
    """Every error the API returns has this shape."""

    error: str  # the error in English, as logs and existing clients read it
    # The same for a person, in the request's language (the cp_lang cookie, else
    # Accept-Language; Chinese by default) when the error has a text in the message catalogue;
    # otherwise the same sentence as ``error``.
    message: str = ""
    file: str | None = None
    problems: list[ProblemBody] = Field(default_factory=list)


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class IngestBody(BaseModel):
    created: list[tuple[str, str, int]]
    amended: int
    unchanged: int


class Reading(Strict):
    meter: str = Field(min_length=1, max_length=80)
    ts: str = Field(min_length=10, max_length=40, description="ISO 8601 interval start")
    value: float
    unit: str | None = Field(default=None, max_length=20)


class ReadingCounts(BaseModel):
    received: int
    new: int
    duplicates: int
    rejected: int


class Decision(StrEnum):
    accept = "accept"
    return_ = "return"


class ReviewBody(Strict):
    decision: Annotated[Decision, Field(strict=False)]  # JSON carries the enum's string
    note: str | None = Field(default=None, max_length=2000)


class TaskProgressBody(Strict):
    unit: str | None = Field(
        default=None, max_length=120, description="reporting unit; a unit account's own"
    )
    reported_on: IsoDate
    percent_complete: float = Field(ge=0, le=100)
    summary: str = Field(min_length=1, max_length=4000)
    next_milestone: str | None = Field(default=None, max_length=2000)
    milestone_due: IsoDate | None = None


class IndicatorReportBody(Strict):
    year: int = Field(ge=2000, le=2100)
    value: float
    unit: str = Field(min_length=1, max_length=40)
    reporting_unit: str | None = Field(default=None, max_length=120)
    reason: str | None = Field(default=None, max_length=2000)


class NewUser(Strict):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=10, max_length=200)
    role: Annotated[Role, Field(strict=False)]
    display_name: str | None = Field(default=None, max_length=200)
    organisation: str | None = Field(default=None, max_length=120)
    enterprise: str | None = Field(default=None, max_length=80)


class NewToken(Strict):
    client: str = Field(min_length=1, max_length=120)


class ActiveBody(Strict):
    active: bool


class Page(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[dict[str, Any]]
