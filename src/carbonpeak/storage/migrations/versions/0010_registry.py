"""registry life, notices' events and evidence files

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("enterprises") as batch:
        batch.add_column(sa.Column("opened_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
    with op.batch_alter_table("facilities") as batch:
        batch.add_column(sa.Column("sector_code", sa.String(length=8), nullable=True))
    with op.batch_alter_table("meters") as batch:
        batch.add_column(sa.Column("channel", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("removed_on", sa.Date(), nullable=True))
    op.create_table(
        "registry_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("enterprise", sa.String(length=80), nullable=False),
        sa.Column("event", sa.String(length=10), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_changes")),
    )
    op.create_table(
        "registry_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("recipient_kind", sa.String(length=20), nullable=False),
        sa.Column("recipient", sa.String(length=80), nullable=False),
        sa.Column("subject_zh", sa.String(length=300), nullable=False),
        sa.Column("subject_en", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_events")),
    )
    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attached_to", sa.String(length=20), nullable=False),
        sa.Column("attached_id", sa.Integer(), nullable=False),
        sa.Column("owner_organisation", sa.String(length=80), nullable=True),
        sa.Column("owner_enterprise", sa.String(length=80), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("media_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.String(length=120), nullable=False),
        sa.Column(
            "uploaded_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["owner_organisation"],
            ["organisations.id"],
            name=op.f("fk_evidence_files_owner_organisation_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_files")),
    )


def downgrade() -> None:
    op.drop_table("evidence_files")
    op.drop_table("registry_events")
    op.drop_table("registry_changes")
    with op.batch_alter_table("meters") as batch:
        batch.drop_column("removed_on")
        batch.drop_column("channel")
    with op.batch_alter_table("facilities") as batch:
        batch.drop_column("sector_code")
    with op.batch_alter_table("enterprises") as batch:
        batch.drop_column("closed_on")
        batch.drop_column("opened_on")
