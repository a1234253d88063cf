"""Schema, migrations and plan registration on SQLite and on a real PostgreSQL."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from carbonpeak.plan import PlanDocument
from carbonpeak.services.plans import PlanVersionConflict, register_plan, registered_plans
from carbonpeak.storage import (
    Base,
    EnterpriseRow,
    FacilityRow,
    OrganisationRow,
    alembic_config,
    upgrade,
)


def test_migrations_create_exactly_the_models(engine: Engine) -> None:
    upgrade(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    assert {"organisations", "enterprises", "facilities", "plan_versions"} <= set(
        inspect(engine).get_table_names()
    )


def test_downgrade_and_upgrade_again(engine: Engine) -> None:
    upgrade(engine)
    command.downgrade(alembic_config(engine), "base")
    assert "plan_versions" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert "plan_versions" in inspect(engine).get_table_names()


def test_register_plan_is_idempotent(engine: Engine, plan_document: PlanDocument) -> None:
    upgrade(engine)
    first = register_plan(engine, plan_document)
    second = register_plan(engine, plan_document)
    assert (first.created, second.created) == (True, False)
    stored = registered_plans(engine)
    assert len(stored) == 1
    row, plan = stored[0]
    assert plan == plan_document.plan
    assert row.sha256 == plan_document.sha256
    with Session(engine) as session:
        organisations = session.scalars(select(OrganisationRow)).all()
        assert len(organisations) == len(plan_document.plan.organisations) == 24
        office = session.get(OrganisationRow, "economic_development_bureau")
        assert office is not None and "碳达峰碳中和工作领导小组办公室" in office.aliases


def test_changed_plan_needs_a_new_version(engine: Engine, plan_document: PlanDocument) -> None:
    upgrade(engine)
    register_plan(engine, plan_document)
    changed = PlanDocument(plan_document.plan, plan_document.file, "0" * 64, None)
    with pytest.raises(PlanVersionConflict, match="new version"):
        register_plan(engine, changed)
    assert len(registered_plans(engine)) == 1


def test_enterprises_and_facilities_cascade(engine: Engine) -> None:
    upgrade(engine)
    with Session(engine) as session, session.begin():
        enterprise = EnterpriseRow(
            code="E1",
            credit_code="91640000000000000X",
            name_zh="示例煤化工公司（合成）",
            sector_code="2614",
            key_energy_unit=True,
            synthetic=True,
        )
        enterprise.facilities.append(
            FacilityRow(
                code="MTO-1",
                name_zh="甲醇制烯烃装置",
                product="olefins",
                capacity_value=60,
                capacity_unit="万t",
            )
        )
        session.add(enterprise)
    with Session(engine) as session, session.begin():
        stored = session.scalars(select(EnterpriseRow)).one()
        assert [f.code for f in stored.facilities] == ["MTO-1"]
        session.delete(stored)
    with Session(engine) as session:
        assert session.scalars(select(FacilityRow)).all() == []
