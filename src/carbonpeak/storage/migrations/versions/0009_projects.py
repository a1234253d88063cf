"""major projects, reviews, work plans, the budget-pool ledger, retrofit plans

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("responsible_unit", sa.String(length=80), nullable=False),
        sa.Column("sector", sa.String(length=10), nullable=False),
        sa.Column("product", sa.String(length=80), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("declaration", sa.JSON(), nullable=False),
        sa.Column("approved_energy_tce", sa.Float(), nullable=True),
        sa.Column("approved_co2_t", sa.Float(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
    )
    op.create_table(
        "project_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project", sa.String(length=80), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("reached_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project"], ["projects.id"], name=op.f("fk_project_stages_project_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_stages")),
    )
    op.create_table(
        "project_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project", sa.String(length=80), nullable=False),
        sa.Column("recommendation", sa.String(length=30), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=True),
        sa.Column("opinion_document", sa.String(length=200), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project"], ["projects.id"], name=op.f("fk_project_reviews_project_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_reviews")),
    )
    op.create_table(
        "project_work_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project", sa.String(length=80), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=80), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("milestone", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("percent_complete", sa.Float(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project"], ["projects.id"], name=op.f("fk_project_work_plans_project_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_work_plans")),
    )
    op.create_table(
        "budget_pool_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("entry", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.Column("project", sa.String(length=80), nullable=True),
        sa.Column("enterprise", sa.String(length=80), nullable=True),
        sa.Column("facility", sa.String(length=80), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_pool_ledger")),
    )
    op.create_table(
        "retrofit_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise", sa.String(length=80), nullable=False),
        sa.Column("facility", sa.String(length=80), nullable=False),
        sa.Column("product", sa.String(length=80), nullable=False),
        sa.Column("unit_value_before", sa.Float(), nullable=False),
        sa.Column("unit_value_target", sa.Float(), nullable=False),
        sa.Column("annual_output_t", sa.Float(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("milestones", sa.JSON(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retrofit_plans")),
    )


def downgrade() -> None:
    for table in (
        "retrofit_plans",
        "budget_pool_ledger",
        "project_work_plans",
        "project_reviews",
        "project_stages",
        "projects",
    ):
        op.drop_table(table)
