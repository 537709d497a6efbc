"""Insert or upsert many rows in one statement: the region imports, the compliance job's flags.

On PostgreSQL an `Insert` (rows known to be new) is one COPY straight into
the table; an `Upsert` COPYs into a temporary table, then runs one
`INSERT ... SELECT ... ON CONFLICT`. No model instances and no per-row SQL,
so thousands of rows cost little more than the constraints they must pass.
Other databases (the SQLite demo) get the same statements through
`executemany`. Every constraint of the target table still applies.
"""

import io
import itertools
import json
from dataclasses import dataclass

from django.db import connection, transaction

BATCH = 2000
_staging_numbers = itertools.count(1)


@dataclass
class Insert:
    """New rows for one table: `columns` are database column names, `rows` tuples in that order.

    A row whose key exists already fails the whole write with IntegrityError:
    nothing is overwritten that the caller did not know about.
    """

    model: type
    columns: tuple
    rows: list

    def apply(self):
        """Write the rows; returns how many were inserted."""
        if not self.rows:
            return 0
        if connection.vendor != "postgresql":
            return _executemany(self, "")
        quote = connection.ops.quote_name
        columns = ", ".join(quote(name) for name in self.columns)
        with connection.cursor() as cursor, connection.wrap_database_errors:
            cursor.cursor.copy_expert(
                f"COPY {quote(self.model._meta.db_table)} ({columns}) FROM STDIN", _copy_buffer(self.rows)
            )
        return len(self.rows)


@dataclass
class Upsert:
    """Rows for one table: `columns` are database column names, `rows` tuples in that order.

    A row whose `unique` columns already exist updates the `update` columns,
    or is skipped when there are none.
    """

    model: type
    columns: tuple
    rows: list
    unique: tuple
    update: tuple = ()

    def apply(self):
        """Write the rows; returns how many were inserted or updated."""
        if not self.rows:
            return 0
        if connection.vendor == "postgresql":
            return _copy_upsert(self)
        return _executemany(self, _on_conflict(self))


def _on_conflict(upsert):
    quote = connection.ops.quote_name
    target = ", ".join(quote(name) for name in upsert.unique)
    if not upsert.update:
        return f"ON CONFLICT ({target}) DO NOTHING"
    updates = ", ".join(f"{quote(name)} = EXCLUDED.{quote(name)}" for name in upsert.update)
    return f"ON CONFLICT ({target}) DO UPDATE SET {updates}"


def _copy_upsert(upsert):
    quote = connection.ops.quote_name
    table = quote(upsert.model._meta.db_table)
    columns = ", ".join(quote(name) for name in upsert.columns)
    buffer = _copy_buffer(upsert.rows)
    staging = f"bulk_rows_{next(_staging_numbers)}"
    # The staging table lives until the (outer) transaction ends, whatever happens.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA")
        cursor.cursor.copy_expert(f"COPY {staging} ({columns}) FROM STDIN", buffer)
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} {_on_conflict(upsert)}")
        return cursor.rowcount


def _copy_buffer(rows):
    return io.StringIO("".join("\t".join(map(_copy_text, row)) + "\n" for row in rows))


def _copy_text(value):
    """One value in COPY's text format: \\N for NULL, JSON for lists and dicts, special characters escaped."""
    if type(value) is not str:  # most values are text: they skip these tests
        if value is None:
            return "\\N"
        if isinstance(value, list | dict):
            value = json.dumps(value)
        elif isinstance(value, bool):
            value = "t" if value else "f"
        else:
            value = str(value)
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _executemany(write, conflict_clause):
    """Each value prepared by its model field, as the ORM would (SQLite keeps datetimes as naive UTC text)."""
    quote = connection.ops.quote_name
    by_column = {field.column: field for field in write.model._meta.concrete_fields}
    fields = [by_column[name] for name in write.columns]
    rows = [
        tuple(field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True))
        for row in write.rows
    ]
    placeholders = ", ".join(["%s"] * len(write.columns))
    sql = (
        f"INSERT INTO {quote(write.model._meta.db_table)} ({', '.join(quote(name) for name in write.columns)}) "
        f"VALUES ({placeholders}) {conflict_clause}".rstrip()
    )
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start:start + BATCH])
            written += cursor.rowcount
    return written
