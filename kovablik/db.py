"""Writes the ORM makes dear, done in one plain statement."""

from __future__ import annotations

from django.db import connections, router

BATCH = 100


def update_rows(objs: list, fields: list[str]) -> None:
    """``QuerySet.bulk_update(objs, fields)`` as one ``UPDATE ... FROM (SELECT ...)``.

    Django's ``bulk_update`` writes ``CASE WHEN id = ... THEN ...`` per field and row and
    resolves an expression for each: 2 ms of CPU for the nine answers of a proposal, on
    every save of the deadline rush. Here each row's values are parameters of one
    statement (0.1 ms). Like ``bulk_update`` it calls no ``save()`` and sends no signal;
    values go through each field's ``get_db_prep_save``. PostgreSQL is told each column's
    type; SQLite types by the column's own affinity on assignment.
    """
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]

    def placeholder(field) -> str:
        if connection.vendor == "postgresql":
            return f"CAST(%s AS {field.cast_db_type(connection)})"
        return "%s"

    row = ", ".join(f"{placeholder(f)} AS {quote(f.column)}" for f in columns)
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in columns[1:])
    with connection.cursor() as cursor:
        # SQLite allows 500 terms in one compound SELECT: a statement per 100 rows.
        for start in range(0, len(objs), BATCH):
            batch = objs[start : start + BATCH]
            rows = " UNION ALL ".join([f"SELECT {row}"] * len(batch))
            # Only quoted names of the model's own table and columns are spliced in; every
            # value is a parameter.
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM ({rows}) AS v "  # noqa: S608  # nosec B608
                f"WHERE {table}.{pk} = v.{pk}",
                [
                    field.get_db_prep_save(getattr(obj, field.attname), connection)
                    for obj in batch
                    for field in columns
                ],
            )
