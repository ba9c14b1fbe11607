"""On PostgreSQL, let the database itself refuse overlapping fee and SLA periods.

Django's ExclusionConstraint cannot live in Meta because SQLite (the default
database) has no such thing, so this runs only on PostgreSQL. ``valid_to`` is
the last day in force, hence the inclusive '[]' range; NULL is open-ended.
btree_gist (a trusted extension since PostgreSQL 13) lets GiST compare the
service id and component with '='. On SQLite the unique start date in Meta
and the service-layer check (simi.catalog.periods) do the job.
"""

from django.db import migrations

CONSTRAINTS = [
    (
        "catalog_fee",
        "catalog_fee_no_overlap",
        "service_type_id WITH =, component WITH =, "
        "daterange(valid_from, valid_to, '[]') WITH &&",
    ),
    (
        "catalog_slarule",
        "catalog_sla_no_overlap",
        "service_type_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&",
    ),
]


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for table, name, expression in CONSTRAINTS:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist ({expression})"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, _expression in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
