"""notices, their e-mail contacts, and indicator publications

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("event", sa.String(length=200), nullable=False),
        sa.Column("recipient_kind", sa.String(length=12), nullable=False),
        sa.Column("recipient", sa.String(length=80), nullable=False),
        sa.Column("subject_zh", sa.String(length=300), nullable=False),
        sa.Column("subject_en", sa.String(length=300), nullable=False),
        sa.Column("body_zh", sa.Text(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_by", sa.String(length=120), nullable=True),
        sa.Column("mail_state", sa.String(length=10), nullable=False),
        sa.Column("mail_error", sa.Text(), nullable=True),
        sa.Column("mailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("event", "recipient_kind", "recipient", name=op.f("uq_notices_event")),
    )
    op.create_table(
        "notice_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_kind", sa.String(length=12), nullable=False),
        sa.Column("recipient", sa.String(length=80), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_contacts")),
        sa.UniqueConstraint(
            "recipient_kind", "recipient", name=op.f("uq_notice_contacts_recipient_kind")
        ),
    )
    op.create_table(
        "indicator_publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("plan_version", sa.String(length=80), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.String(length=10), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("published_by", sa.String(length=120), nullable=False),
        sa.Column(
            "published_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["indicator_publications.id"],
            name=op.f("fk_indicator_publications_supersedes_id_indicator_publications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_publications")),
        sa.UniqueConstraint("period", "version", name=op.f("uq_indicator_publications_period")),
    )


def downgrade() -> None:
    op.drop_table("indicator_publications")
    op.drop_table("notice_contacts")
    op.drop_table("notices")
