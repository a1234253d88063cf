"""budgets and task progress

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "budgets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budgets")),
        sa.UniqueConstraint("scope", "year", "kind", name=op.f("uq_budgets_scope")),
    )
    op.create_table(
        "task_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_version", sa.String(length=80), nullable=False),
        sa.Column("task", sa.String(length=20), nullable=False),
        sa.Column("reporting_unit", sa.String(length=80), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("percent_complete", sa.Float(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("next_milestone", sa.Text(), nullable=True),
        sa.Column("milestone_due", sa.Date(), nullable=True),
        sa.Column("evidence_sha256", sa.String(length=64), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reporting_unit"],
            ["organisations.id"],
            name=op.f("fk_task_progress_reporting_unit_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_progress")),
    )


def downgrade() -> None:
    op.drop_table("task_progress")
    op.drop_table("budgets")
