"""digest pages as rows (one INSERT ... SELECT plans a run), the header counted once, a covering index

Revision ID: 0013
Revises: 0011

A run's pages listed every verbatim id as comma-joined text, so planning read every id into Python and
a redraw re-read the whole list and recounted the summary. Now the store writes the ids of a run, in
display order, to `digest_page_item` (keyed by run, page, position), the header's figures are kept on
the run, and the digest's index starts with (team, history) so its ranking never reads the table. Pages
planned before are moved to the new table here.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None

SUMMARY = ("new", "detractors", "nps", "nps_n", "csat", "csat_n")
RANK_COLUMNS = [
    "team_id",
    "history",
    "imported_at",
    "status",
    "priority_base",
    "received_at",
    "sentiment",
    "reason",
    "score",
    "scale",
    "treated_at",
    "id",
]
OLD_RANK_COLUMNS = [
    "team_id",
    "imported_at",
    "status",
    "priority_base",
    "received_at",
    "sentiment",
    "score",
    "scale",
    "treated_at",
    "reason",
]


def upgrade() -> None:
    op.create_table(
        "digest_page_item",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("page_no", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("verbatim_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "page_no", "position"),
        sqlite_with_rowid=False,
    )
    for name in SUMMARY:
        kind = sa.Float() if name in ("nps", "csat") else sa.Integer()
        op.add_column("digest_run", sa.Column(f"summary_{name}", kind, nullable=True))
    op.add_column("digest_page", sa.Column("item_count", sa.Integer(), nullable=False, server_default="0"))
    _move_ids_to_items()
    with op.batch_alter_table("digest_page") as batch:
        batch.drop_column("verbatim_ids")
    op.drop_index("ix_verbatim_team_imported_rank", table_name="verbatim")
    op.create_index("ix_verbatim_team_digest", "verbatim", RANK_COLUMNS)


def _move_ids_to_items() -> None:
    conn = op.get_bind()
    pages = conn.execute(
        sa.text("SELECT id, run_id, page_no, verbatim_ids FROM digest_page ORDER BY run_id, page_no")
    )
    items = sa.text(
        "INSERT INTO digest_page_item (run_id, page_no, position, verbatim_id) VALUES (:run, :page, :position, :id)"
    )
    count = sa.text("UPDATE digest_page SET item_count = :n WHERE id = :page_id")
    position, run = 0, None
    for page_id, run_id, page_no, joined in pages.all():
        if run_id != run:
            position, run = 0, run_id
        ids = [int(v) for v in joined.split(",") if v]
        rows = [
            {"run": run_id, "page": page_no, "position": position + n, "id": i} for n, i in enumerate(ids)
        ]
        if rows:
            conn.execute(items, rows)
        conn.execute(count, {"n": len(ids), "page_id": page_id})
        position += len(ids)


def downgrade() -> None:
    op.drop_index("ix_verbatim_team_digest", table_name="verbatim")
    op.create_index("ix_verbatim_team_imported_rank", "verbatim", OLD_RANK_COLUMNS)
    op.add_column("digest_page", sa.Column("verbatim_ids", sa.Text(), nullable=False, server_default=""))
    conn = op.get_bind()
    pages = conn.execute(sa.text("SELECT id, run_id, page_no FROM digest_page")).all()
    for page_id, run_id, page_no in pages:
        ids = conn.execute(
            sa.text(
                "SELECT verbatim_id FROM digest_page_item WHERE run_id = :run AND page_no = :page ORDER BY position"
            ),
            {"run": run_id, "page": page_no},
        ).scalars()
        conn.execute(
            sa.text("UPDATE digest_page SET verbatim_ids = :ids WHERE id = :id"),
            {"ids": ",".join(str(i) for i in ids), "id": page_id},
        )
    with op.batch_alter_table("digest_page") as batch:
        batch.drop_column("item_count")
    with op.batch_alter_table("digest_run") as batch:
        for name in SUMMARY:
            batch.drop_column(f"summary_{name}")
    op.drop_table("digest_page_item")
