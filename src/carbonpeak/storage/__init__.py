"""Storage at the edge: SQLAlchemy models, Alembic migrations, engines."""

from carbonpeak.storage import projects as _projects  # noqa: F401  (its tables join Base)
from carbonpeak.storage.database import (
    DATA_DIR_VARIABLE,
    DATABASE_URL_VARIABLE,
    alembic_config,
    data_directory,
    database_url,
    make_engine,
    upgrade,
)
from carbonpeak.storage.logins import LoginFailureRow
from carbonpeak.storage.models import (
    AccountPublicationRow,
    ActivityRecordRow,
    ApiTokenRow,
    AuditEntryRow,
    Base,
    BudgetRow,
    EnterpriseRow,
    FacilityRow,
    IndicatorReportRow,
    MeterRow,
    OrganisationRow,
    PlanVersionRow,
    SubmissionRow,
    TaskProgressRow,
    UserRow,
    WebSessionRow,
)
from carbonpeak.storage.notices import IndicatorPublicationRow, NoticeContactRow, NoticeRow
from carbonpeak.storage.registry import EvidenceFileRow, RegistryChangeRow, RegistryEventRow
from carbonpeak.storage.telemetry import TelemetryStore

__all__ = [
    "DATABASE_URL_VARIABLE",
    "DATA_DIR_VARIABLE",
    "AccountPublicationRow",
    "ActivityRecordRow",
    "ApiTokenRow",
    "AuditEntryRow",
    "Base",
    "BudgetRow",
    "EnterpriseRow",
    "EvidenceFileRow",
    "FacilityRow",
    "IndicatorPublicationRow",
    "IndicatorReportRow",
    "LoginFailureRow",
    "MeterRow",
    "NoticeContactRow",
    "NoticeRow",
    "OrganisationRow",
    "PlanVersionRow",
    "RegistryChangeRow",
    "RegistryEventRow",
    "SubmissionRow",
    "TaskProgressRow",
    "TelemetryStore",
    "UserRow",
    "WebSessionRow",
    "alembic_config",
    "data_directory",
    "database_url",
    "make_engine",
    "upgrade",
]
