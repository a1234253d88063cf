"""meters

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meters",
        sa.Column("meter", sa.String(length=80), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("interval_minutes", sa.Integer(), nullable=False),
        sa.Column("max_interval_value", sa.Float(), nullable=False),
        sa.Column("calibration_due", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name=op.f("fk_meters_enterprise_id_enterprises")
        ),
        sa.PrimaryKeyConstraint("meter", name=op.f("pk_meters")),
    )


def downgrade() -> None:
    op.drop_table("meters")
