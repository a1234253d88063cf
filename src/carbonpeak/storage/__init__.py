"""Storage at the edge: SQLAlchemy models, Alembic migrations, engines."""

from carbonpeak.storage.database import (
    DATABASE_URL_VARIABLE,
    alembic_config,
    database_url,
    make_engine,
    upgrade,
)
from carbonpeak.storage.models import (
    AccountPublicationRow,
    Base,
    EnterpriseRow,
    FacilityRow,
    OrganisationRow,
    PlanVersionRow,
)

__all__ = [
    "DATABASE_URL_VARIABLE",
    "AccountPublicationRow",
    "Base",
    "EnterpriseRow",
    "FacilityRow",
    "OrganisationRow",
    "PlanVersionRow",
    "alembic_config",
    "database_url",
    "make_engine",
    "upgrade",
]
