"""meters' installation date: readings dated before it are refused

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("meters", sa.Column("installed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meters") as batch:
        batch.drop_column("installed_on")
