"""People: the names of one person grouped across documents ("Путин", "В. Путин", "Владимир Путин"),
quotes and mentions pointed at the person, the name they were written with kept beside (see people.py).

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

from skazal.store.people import regroup, surname_of

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

entities = sa.table("entities", sa.column("id"), sa.column("name"), sa.column("type"), sa.column("surname"))


def upgrade() -> None:
    op.add_column("entities", sa.Column("person_id", sa.Integer))
    op.add_column("entities", sa.Column("surname", sa.String(255)))
    op.add_column("entities", sa.Column("documents", sa.Integer, nullable=False, server_default="0"))
    op.add_column("quotes", sa.Column("speaker_name_id", sa.Integer))
    op.add_column("mentions", sa.Column("name_id", sa.Integer))
    op.create_index("ix_entities_person_id", "entities", ["person_id"])
    op.create_index("ix_entities_surname", "entities", ["surname"])
    connection = op.get_bind()
    op.execute("UPDATE quotes SET speaker_name_id = speaker_id WHERE speaker_id IS NOT NULL")
    op.execute("UPDATE mentions SET name_id = entity_id")
    op.execute(
        "UPDATE entities SET person_id = id, documents = (SELECT count(*) FROM ("
        "SELECT document_id FROM mentions WHERE entity_id = entities.id "
        "UNION SELECT document_id FROM quotes WHERE speaker_id = entities.id) AS named)"
    )
    people = connection.execute(sa.select(entities.c.id, entities.c.name, entities.c.type)).all()
    surnames = [{"entity_id": row.id, "grouped_by": surname_of(row.name, row.type)} for row in people]
    surnames = [row for row in surnames if row["grouped_by"] is not None]
    if surnames:
        connection.execute(
            entities.update().where(entities.c.id == sa.bindparam("entity_id"))
            .values(surname=sa.bindparam("grouped_by")),
            surnames,
        )
    regroup(connection)


def downgrade() -> None:
    op.execute("UPDATE quotes SET speaker_id = speaker_name_id WHERE speaker_name_id IS NOT NULL")
    op.execute("UPDATE mentions SET entity_id = name_id WHERE name_id IS NOT NULL")
    op.drop_index("ix_entities_surname", "entities")
    op.drop_index("ix_entities_person_id", "entities")
    op.drop_column("mentions", "name_id")
    op.drop_column("quotes", "speaker_name_id")
    op.drop_column("entities", "documents")
    op.drop_column("entities", "surname")
    op.drop_column("entities", "person_id")
