"""The registry (enterprises, facilities, meters and their life), its bulk import, key
energy-using units, the office's review queue, notice events and evidence files. Errors come
from the one vocabulary (api/errors.py): a form or workbook problem is 422 with every problem
located by file, sheet, row and field."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from carbonpeak.api.deps import CODE, MONTH, A, Admin, E, U, WithSources, require
from carbonpeak.api.errors import ERRORS
from carbonpeak.errors import Forbidden, NotFound
from carbonpeak.messages import message
from carbonpeak.services.accounts import Principal
from carbonpeak.services.evidence import (
    attach_evidence,
    download_headers,
    evidence_list,
    read_evidence,
)
from carbonpeak.services.registry import enterprises
from carbonpeak.services.registry_detail import enterprise_detail
from carbonpeak.services.registry_events import events
from carbonpeak.services.registry_import import import_registry, registry_template
from carbonpeak.services.registry_keyunits import key_units
from carbonpeak.services.registry_life import change, close, history, open_entry
from carbonpeak.services.review_queue import (
    accept_selected,
    late_reporters,
    queue,
    remind_late,
    return_report,
    submission_enterprise,
)

router = APIRouter(prefix="/api/v1", responses=ERRORS)
Entity = Literal["enterprise", "facility", "meter"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ChangeBody(BaseModel):
    fields: dict[str, str] = Field(description="Fields to change, as in the registry template")
    reason: str | None = Field(None, max_length=500)


class CloseBody(BaseModel):
    closed_on: date
    reason: str = Field(min_length=1, max_length=500)


class ReturnBody(BaseModel):
    note: str = Field(min_length=1, max_length=2000)


class BulkBody(BaseModel):
    ids: list[int] = Field(min_length=1, max_length=500)
    note: str | None = Field(None, max_length=2000)


@router.get("/registry/enterprises", tags=["registry"])
def registry_enterprises(_principal: Admin, src: WithSources) -> list[dict[str, Any]]:
    """企业登记 Every registered enterprise."""
    table = enterprises(src.engine())
    return [{str(k): v for k, v in row.items()} for row in table.to_dict("records")]


@router.post("/registry/{entity}", tags=["registry"], status_code=201)
def registry_open(
    principal: Admin, src: WithSources, entity: Entity, record: dict[str, str]
) -> dict[str, str]:
    """登记 Register an enterprise, facility or meter (fields as in the registry template)."""
    return {"key": open_entry(src.engine(), entity, record, principal.actor)}


@router.patch("/registry/{entity}", tags=["registry"])
def registry_change(
    principal: Admin,
    src: WithSources,
    entity: Entity,
    key: Annotated[str, Query(max_length=160)],
    body: ChangeBody,
) -> dict[str, Any]:
    """变更 Change fields of an open entry; before and after are kept."""
    return change(src.engine(), entity, key, body.fields, principal.actor, body.reason)


@router.post("/registry/{entity}/close", tags=["registry"])
def registry_close(
    principal: Admin,
    src: WithSources,
    entity: Entity,
    key: Annotated[str, Query(max_length=160)],
    body: CloseBody,
) -> dict[str, str]:
    """注销 Close an entry; it keeps its history and past reports."""
    close(src.engine(), entity, key, body.closed_on, principal.actor, body.reason)
    return {"key": key, "closed_on": body.closed_on.isoformat()}


@router.get("/registry/enterprises/{code}", tags=["registry"])
def registry_enterprise(
    principal: Annotated[Principal, Depends(require(A, E))],
    src: WithSources,
    code: Annotated[str, PathParam(pattern=CODE)],
) -> dict[str, Any]:
    """One enterprise with its facilities, meters and history (an enterprise sees its own)."""
    if principal.role is E and principal.enterprise != code:
        raise Forbidden(message("error.registry.own_registration"))
    detail = enterprise_detail(src.engine(), code)
    if principal.role is E:
        detail.pop("accounts")
    return detail | {"history": history(src.engine(), code)}


@router.get("/registry/history", tags=["registry"])
def registry_history(
    _principal: Admin,
    src: WithSources,
    enterprise: Annotated[str | None, Query(pattern=CODE)] = None,
) -> list[dict[str, Any]]:
    """登记历史 The registry's life, oldest first."""
    return history(src.engine(), enterprise)


@router.get("/registry-template", tags=["registry"], response_class=Response)
def registry_template_download(_principal: Admin) -> Response:
    """登记模板 The bilingual Excel registry template."""
    return Response(
        registry_template(),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="registry-template.xlsx"'},
    )


@router.post("/registry-import", tags=["registry"], status_code=201)
def registry_import(
    principal: Admin,
    src: WithSources,
    file: Annotated[UploadFile, File(description="The registry template (.xlsx)")],
) -> dict[str, int]:
    """批量导入 Import the registry template: every row, or none."""
    name = Path(file.filename or "registry.xlsx").name
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(file.file.read())
        result = import_registry(src.engine(), path, principal.actor)
    return {
        "enterprises": result.enterprises,
        "facilities": result.facilities,
        "meters": result.meters,
    }


@router.get("/key-units", tags=["registry"])
def key_energy_units(_principal: Admin, src: WithSources) -> list[dict[str, Any]]:
    """重点用能单位 Key energy-using units by their accounts, with monitoring owed and had."""
    return key_units(src.engine(), src.snapshot(), src.store())


@router.get("/review-queue", tags=["review"])
def review_queue(
    _principal: Admin,
    src: WithSources,
    month: Annotated[str | None, Query(pattern=MONTH)] = None,
    state: Literal["draft", "submitted", "accepted", "returned"] | None = None,
    sector: Annotated[str | None, Query(pattern=r"^\d{2,4}$")] = None,
) -> list[dict[str, Any]]:
    """审核队列 The latest version of each enterprise-month report."""
    return queue(src.engine(), month, state, sector)


@router.get("/review-queue/late", tags=["review"])
def review_late(
    _principal: Admin, src: WithSources, month: Annotated[str, Query(pattern=MONTH)]
) -> list[dict[str, Any]]:
    """未按期报送 Open enterprises without a report for the month."""
    return late_reporters(src.engine(), month, date.today())


@router.post("/review-queue/{submission_id}/return", tags=["review"])
def review_return(
    principal: Admin,
    src: WithSources,
    submission_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
    body: ReturnBody,
) -> dict[str, Any]:
    """退回 Return a report with a note; the enterprise gets a notice."""
    return return_report(src.engine(), submission_id, body.note, principal.actor)


@router.post("/review-queue/accept", tags=["review"])
def review_bulk_accept(principal: Admin, src: WithSources, body: BulkBody) -> dict[str, int]:
    """批量通过 Accept the chosen submitted reports together, or none."""
    return {"accepted": accept_selected(src.engine(), body.ids, principal.actor, body.note)}


@router.post("/review-queue/remind", tags=["review"])
def review_remind(
    principal: Admin, src: WithSources, month: Annotated[str, Query(pattern=MONTH)]
) -> dict[str, list[str]]:
    """催报 Store a reminder for every enterprise overdue with the month."""
    return {"reminded": remind_late(src.engine(), month, date.today(), principal.actor)}


@router.get("/registry-events", tags=["review"])
def registry_events(
    principal: Annotated[Principal, Depends(require(A, E))], src: WithSources
) -> list[dict[str, Any]]:
    """通知事件 Returned reports and reminders (an enterprise sees its own)."""
    if principal.role is E:
        return events(src.engine(), "enterprise", principal.enterprise)
    return events(src.engine())


@router.post("/evidence", tags=["evidence"], status_code=201)
def evidence_upload(
    principal: Annotated[Principal, Depends(require(A, U, E))],
    src: WithSources,
    file: Annotated[UploadFile, File(description="PDF, PNG, JPG, XLSX, DOCX, CSV, TXT")],
    attached_to: Annotated[Literal["submission"], Form()],
    attached_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
) -> dict[str, Any]:
    """佐证材料 Attach evidence to an enterprise's report (task and indicator reports take
    theirs with the report: /api/v1/tasks…, or the workspace page)."""
    if principal.role is U:
        raise Forbidden(message("error.registry.unit_evidence"))
    owner = submission_enterprise(src.engine(), attached_id)
    if principal.role is E and owner != principal.enterprise:
        raise Forbidden(message("error.registry.own_report"))
    if owner is None:
        raise NotFound(message("error.registry.no_submission", submission=attached_id))
    return attach_evidence(
        src.engine(),
        file.file.read(),
        file.filename or "evidence",
        attached_to,
        attached_id,
        principal.actor,
        enterprise=owner,
    )


@router.get("/evidence", tags=["evidence"])
def evidence_index(
    principal: Annotated[Principal, Depends(require(A, U, E))], src: WithSources
) -> list[dict[str, Any]]:
    """The evidence files the caller may download."""
    return evidence_list(src.engine(), principal)


@router.get("/evidence/{evidence_id}", tags=["evidence"], response_class=Response)
def evidence_download(
    principal: Annotated[Principal, Depends(require(A, U, E))],
    src: WithSources,
    evidence_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
) -> Response:
    """One evidence file, its bytes checked against the recorded SHA-256."""
    found, content = read_evidence(src.engine(), principal, evidence_id)
    return Response(
        content,
        media_type=found["media_type"],
        headers=download_headers(found),
    )
