"""The FastAPI application factory."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from carbonpeak import __version__
from carbonpeak.accounting import read_table
from carbonpeak.datafile import DataFileError
from carbonpeak.services.submissions import ingest
from carbonpeak.services.telemetry import ingest_readings, meters, quality_report
from carbonpeak.storage import TelemetryStore

__all__ = ["ErrorBody", "create_app"]

UPLOAD_TYPES = {".xlsx", ".csv", ".json", ".parquet"}


class ProblemBody(BaseModel):
    location: str
    problem: str
    expected: str | None = None
    found: Any = None


class ErrorBody(BaseModel):
    """Every error the API returns has this shape."""

    error: str
    file: str | None = None
    problems: list[ProblemBody] = Field(default_factory=list)


class IngestBody(BaseModel):
    created: list[tuple[str, str, int]]
    amended: int
    unchanged: int


class Reading(BaseModel):
    meter: str
    ts: str = Field(description="ISO 8601 time stamp of the interval start")
    value: float
    unit: str | None = None


class ReadingCounts(BaseModel):
    received: int
    new: int
    duplicates: int
    rejected: int


def _problem_response(status: int, error: str, exc: DataFileError | None = None) -> JSONResponse:
    body = ErrorBody(
        error=error,
        file=exc.file if exc else None,
        problems=[
            ProblemBody(
                location=p.location,
                problem=p.problem,
                expected=p.expected,
                found=p.found if isinstance(p.found, str | int | float | None) else str(p.found),
            )
            for p in (exc.problems if exc else [])
        ],
    )
    return JSONResponse(status_code=status, content=body.model_dump())


def create_app(engine: Callable[[], Engine], store: Callable[[], TelemetryStore]) -> FastAPI:
    """The API over the store ``engine()`` and the telemetry store ``store()``."""
    app = FastAPI(
        title="carbonpeak 碳达峰管理平台 API",
        version=__version__,
        responses={422: {"model": ErrorBody}},
    )

    @app.exception_handler(DataFileError)
    async def _data_file_error(_request: Request, exc: DataFileError) -> JSONResponse:
        return _problem_response(422, "invalid file", exc)

    @app.exception_handler(HTTPException)
    async def _http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return _problem_response(exc.status_code, str(exc.detail))

    @app.post(
        "/api/v1/submissions",
        response_model=IngestBody,
        status_code=201,
        tags=["submissions"],
        responses={422: {"model": ErrorBody}},
    )
    def upload_report(
        file: Annotated[UploadFile, File(description="Report: .xlsx template, .csv, .json")],
        reason: Annotated[str | None, Query(max_length=500)] = None,
        draft: Annotated[bool, Query()] = False,
        actor: Annotated[str, Query(min_length=1, max_length=120)] = "api",
    ) -> IngestBody:
        """报送 Upload a monthly report; validated whole, nothing stored if anything is wrong."""
        name = Path(file.filename or "upload").name
        suffix = Path(name).suffix.lower()
        if suffix not in UPLOAD_TYPES:
            raise HTTPException(
                415, f"unsupported file type {suffix!r}; expected {', '.join(sorted(UPLOAD_TYPES))}"
            )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.write_bytes(file.file.read())
            raw = read_table(path)
        result = ingest(engine(), raw, name, actor, reason, "draft" if draft else "submitted")
        return IngestBody(
            created=result.created, amended=result.amended, unchanged=result.unchanged
        )

    @app.post("/api/v1/telemetry", response_model=ReadingCounts, tags=["telemetry"])
    def post_readings(readings: list[Reading]) -> ReadingCounts:
        """在线监测 A batch of meter readings; duplicates ignored, bad records kept apart."""
        registry = meters(engine())
        records = [r.model_dump(exclude_none=True) for r in readings]
        return ReadingCounts(**ingest_readings(store(), registry, records))

    @app.get("/api/v1/telemetry/quality", tags=["telemetry"])
    def get_quality(
        enterprise: Annotated[str | None, Query(max_length=80)] = None,
        month: Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] = None,
    ) -> list[dict[str, Any]]:
        """数据质量 Monitoring data quality per enterprise and month."""
        frame = quality_report(engine(), store(), enterprise, month)
        if frame.empty:
            return []
        cleaned = frame.astype(object).where(frame.notna(), None)
        records = [{str(k): v for k, v in row.items()} for row in cleaned.to_dict("records")]
        return records

    return app
