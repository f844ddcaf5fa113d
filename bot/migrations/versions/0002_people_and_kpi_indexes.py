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

kpi_hour: the questions without a channel/reason/agent filter (the common ones: "/nps last week",
trends, by team, by week) read hourly tallies per (scale, UTC hour, team) instead of every row, and
only the sub-hour edges of half-hour timezones from verbatim. Triggers keep it exact in the same
transaction as every insert, update and delete (statement-level with transition tables on
Postgres, so a COPY or a batch insert aggregates once; row-level on SQLite). The table is backfilled
here from the existing verbatims.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import models.types
from bot.scales import CSAT, NPS


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

KPI_INDEX = 'ix_verbatim_kpi'
KPI_KEY = ['scale', 'received_at']
KPI_PAYLOAD = ['score', 'team_id', 'channel', 'reason', 'agent', 'processing_level']
# The boxes come from bot.scales (one home per rule); the generated SQL is the same text as when this
# revision first ran: "score >= (CASE WHEN scale = 'nps' THEN 9 ELSE 4 END)", "score <= 6".
KPI_SCALES = f"('{NPS.key}', '{CSAT.key}')"
TOP = (f"CASE WHEN {{r}}score >= (CASE WHEN {{r}}scale = '{NPS.key}' THEN {NPS.top_min} ELSE {CSAT.top_min} END) "
       "THEN 1 ELSE 0 END")
BOTTOM = f"CASE WHEN {{r}}scale = '{NPS.key}' AND {NPS.bottom_sql('{r}score')} THEN 1 ELSE 0 END"
SQLITE_HOUR = "substr({r}received_at, 1, 13) || ':00:00.000000'"  # SQLAlchemy's UTC text on SQLite
PG_HOUR = "date_trunc('hour', {r}received_at, 'UTC')"
UPSERT = ("ON CONFLICT (scale, hour, team_key) DO UPDATE SET n = kpi_hour.n + excluded.n, "
          "top = kpi_hour.top + excluded.top, bottom = kpi_hour.bottom + excluded.bottom, "
          "total = kpi_hour.total + excluded.total")


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

    postgres = op.get_bind().dialect.name == 'postgresql'
    if postgres:
        op.create_index(KPI_INDEX, 'verbatim', KPI_KEY, unique=False, postgresql_include=KPI_PAYLOAD)
    else:
        op.create_index(KPI_INDEX, 'verbatim', KPI_KEY + KPI_PAYLOAD, unique=False)

    op.create_table('kpi_hour',
    sa.Column('scale', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('hour', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('team_key', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('top', sa.Integer(), nullable=False),
    sa.Column('bottom', sa.Integer(), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('scale', 'hour', 'team_key'),
    sqlite_with_rowid=False,
    )
    hour = PG_HOUR if postgres else SQLITE_HOUR
    op.execute(f"INSERT INTO kpi_hour (scale, hour, team_key, n, top, bottom, total) {_tally_select('verbatim', hour)}")
    for statement in (_postgres_triggers() if postgres else _sqlite_triggers()):
        op.execute(statement)


def _tally_select(source: str, hour: str, sign: str = '') -> str:
    return (f"SELECT scale, {hour.format(r='')}, coalesce(team_id, 0), {sign}count(*), {sign}sum({TOP.format(r='')}), "
            f"{sign}sum({BOTTOM.format(r='')}), {sign}sum(score) FROM {source} "
            f"WHERE score IS NOT NULL AND scale IN {KPI_SCALES} GROUP BY 1, 2, 3")


def _postgres_triggers() -> list[str]:
    """One function per operation; statement-level, so a batch is aggregated once."""
    add = f"INSERT INTO kpi_hour (scale, hour, team_key, n, top, bottom, total) {{select}} ORDER BY 1, 2, 3 {UPSERT};"
    bodies = {
        'insert': add.format(select=_tally_select('new_rows', PG_HOUR)),
        'delete': add.format(select=_tally_select('old_rows', PG_HOUR, '-')),
        'update': add.format(select=_tally_select(_changed('old_rows', 'new_rows'), PG_HOUR, '-')) + "\n" +
                  add.format(select=_tally_select(_changed('new_rows', 'old_rows'), PG_HOUR)),
    }
    refs = {'insert': 'NEW TABLE AS new_rows', 'delete': 'OLD TABLE AS old_rows',
            'update': 'OLD TABLE AS old_rows NEW TABLE AS new_rows'}
    out = []
    for op_name, body in bodies.items():
        out.append(f"CREATE FUNCTION kpi_hour_{op_name}() RETURNS trigger LANGUAGE plpgsql "
                   f"SET search_path FROM CURRENT AS $$ BEGIN\n{body}\nRETURN NULL; END $$")
        out.append(f"CREATE TRIGGER kpi_hour_{op_name} AFTER {op_name.upper()} ON verbatim REFERENCING "
                   f"{refs[op_name]} FOR EACH STATEMENT EXECUTE FUNCTION kpi_hour_{op_name}()")
    out.append("CREATE FUNCTION kpi_hour_truncate() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT "
               "AS $$ BEGIN\nDELETE FROM kpi_hour; RETURN NULL; END $$")
    out.append("CREATE TRIGGER kpi_hour_truncate AFTER TRUNCATE ON verbatim FOR EACH STATEMENT "
               "EXECUTE FUNCTION kpi_hour_truncate()")
    return out


def _changed(rows: str, other: str) -> str:
    """Rows of an UPDATE whose KPI columns changed (claiming or treating a verbatim touches nothing)."""
    same = ("o.id = r.id AND o.scale = r.scale AND o.received_at = r.received_at "
            "AND o.score IS NOT DISTINCT FROM r.score AND o.team_id IS NOT DISTINCT FROM r.team_id")
    return f"(SELECT r.* FROM {rows} r WHERE NOT EXISTS (SELECT 1 FROM {other} o WHERE {same})) AS changed"


def _sqlite_row(r: str, sign: str, when: str) -> str:
    """Add (sign '') or remove (sign '-') one row's tally; `r` is NEW. or OLD."""
    values = (f"SELECT {r}scale, {SQLITE_HOUR.format(r=r)}, coalesce({r}team_id, 0), {sign}1, "
              f"{sign}({TOP.format(r=r)}), {sign}({BOTTOM.format(r=r)}), {sign}{r}score WHERE {when}")
    return f"INSERT INTO kpi_hour (scale, hour, team_key, n, top, bottom, total) {values} {UPSERT};"


def _sqlite_triggers() -> list[str]:
    new = f"NEW.score IS NOT NULL AND NEW.scale IN {KPI_SCALES}"
    old = f"OLD.score IS NOT NULL AND OLD.scale IN {KPI_SCALES}"
    return [
        f"CREATE TRIGGER kpi_hour_insert AFTER INSERT ON verbatim BEGIN {_sqlite_row('NEW.', '', new)} END",
        f"CREATE TRIGGER kpi_hour_delete AFTER DELETE ON verbatim BEGIN {_sqlite_row('OLD.', '-', old)} END",
        "CREATE TRIGGER kpi_hour_update AFTER UPDATE OF scale, received_at, score, team_id ON verbatim BEGIN "
        f"{_sqlite_row('OLD.', '-', old)} {_sqlite_row('NEW.', '', new)} END",
    ]


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    for name in ('insert', 'delete', 'update') + (('truncate',) if postgres else ()):
        op.execute(f"DROP TRIGGER IF EXISTS kpi_hour_{name}" + (" ON verbatim" if postgres else ""))
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS kpi_hour_{name}()")
    op.drop_table('kpi_hour')
    op.drop_index(KPI_INDEX, table_name='verbatim')
    with op.batch_alter_table('team_manager', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_manager_team_id'))
        batch_op.drop_index(batch_op.f('ix_team_manager_person_id'))

    op.drop_table('team_manager')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_team_id'))
        batch_op.drop_index(batch_op.f('ix_person_slack_user_id'))

    op.drop_table('person')
