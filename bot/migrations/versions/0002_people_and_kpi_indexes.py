"""people, team managers, and the covering indexes behind /nps and /csat

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:00:00

Why these indexes: every KPI question is "one scale, one time range, count scores, maybe filtered or
grouped by team/channel/reason/agent/processing level". An index led by (scale, received_at) turns
the time range into one contiguous index range, so the cost follows the rows in the period, not the
store size; carrying score and the grouping columns in the index makes it an index-only scan
(no heap/table visit per row).
- Postgres: key (scale, received_at), the rest as INCLUDE payload (not sorted, smaller upper levels).
- SQLite has no INCLUDE: the same columns become trailing key columns, which covers the query too.
Per-team questions use the same index (team_id is filtered inside it); at 10M rows a team-led
index would only help teams that hold a small share of a busy store, so it is not worth the
write cost yet.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import models.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

KPI_INDEX = 'ix_verbatim_kpi'
KPI_KEY = ['scale', 'received_at']
KPI_PAYLOAD = ['score', 'team_id', 'channel', 'reason', 'agent', 'processing_level']


def upgrade() -> None:
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slack_user_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('is_slack_admin', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_slack_user_id'), ['slack_user_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_person_team_id'), ['team_id'], unique=False)

    op.create_table('team_manager',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'team_id', name='uq_team_manager_person_team')
    )
    with op.batch_alter_table('team_manager', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_manager_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_manager_team_id'), ['team_id'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        op.create_index(KPI_INDEX, 'verbatim', KPI_KEY, unique=False, postgresql_include=KPI_PAYLOAD)
    else:
        op.create_index(KPI_INDEX, 'verbatim', KPI_KEY + KPI_PAYLOAD, unique=False)


def downgrade() -> None:
    op.drop_index(KPI_INDEX, table_name='verbatim')
    with op.batch_alter_table('team_manager', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_manager_team_id'))
        batch_op.drop_index(batch_op.f('ix_team_manager_person_id'))

    op.drop_table('team_manager')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_team_id'))
        batch_op.drop_index(batch_op.f('ix_person_slack_user_id'))

    op.drop_table('person')
