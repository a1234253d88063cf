"""account publications

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("factor_set", sa.String(length=80), nullable=False),
        sa.Column("datasets", sa.JSON(), nullable=False),
        sa.Column("factor_values", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("activity_sha256", sa.String(length=64), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column(
            "published_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["account_publications.id"],
            name=op.f("fk_account_publications_supersedes_id_account_publications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_publications")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_account_publications_name")),
    )


def downgrade() -> None:
    op.drop_table("account_publications")
