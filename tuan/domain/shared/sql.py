"""Small SQL pieces that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import BigInteger, Cast, Connection, Table, cast, func, insert, inspect
from sqlmodel import SQLModel
from sqlmodel.sql.expression import Select

#: Ids per `IN (…)`: well below every database's limit on bound values.
CHUNK = 500


def id_chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """The ids, each once, in slices of `CHUNK` for `col(…).in_(chunk)`."""
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), CHUNK):
        yield unique[start : start + CHUNK]


def int_sum(expression: Any) -> Cast[int]:
    """SUM that reads back as a Python int everywhere (PostgreSQL sums bigints as numeric)."""
    return cast(func.sum(expression), BigInteger)


def select_columns(*columns: Any) -> Select[*tuple[Any, ...]]:
    """SELECT of any number of columns (rows of values of any type).

    sqlmodel's `select()` is typed for at most four columns (no overload matches a wider row);
    through this one, `where()`, `join()` and the rest of the statement are still checked.
    `session.exec()` gives each row as a tuple; `session.execute()` rows are read by name too.
    """
    return Select(*columns)


def table_of(model: type[SQLModel]) -> Table:
    """The table a model is stored in, for Core statements (bulk inserts and updates).

    sqlmodel does not declare a model's `__table__` to type checkers; its mapper knows it.
    """
    table = inspect(model).local_table
    assert isinstance(table, Table)
    return table


def insert_many(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT the rows (each naming every column but the id, in the same key order), exactly as
    `connection.execute(insert(table), rows)` stores them.

    On SQLite it costs less than half as much for a thousand rows: the statement is compiled
    once and each value goes through its column's own bind processor (the same conversion), in
    place of SQLAlchemy's per-row parameter handling. Elsewhere it is that plain executemany.
    """
    if not rows:
        return
    keys = list(rows[0])
    dialect = connection.dialect
    others = {column.key for column in table.columns if not column.primary_key}
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    order = compiled.positiontup
    if dialect.name != "sqlite" or set(keys) != others or order is None or set(order) != others:
        connection.execute(insert(table), rows)  # a column left to its default: SQLAlchemy's
        return
    columns = [table.columns[key] for key in order]
    processors = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
    pairs = list(zip(order, processors, strict=True))
    params = [
        tuple(row[key] if process is None else process(row[key]) for key, process in pairs)
        for row in rows
    ]
    connection.exec_driver_sql(compiled.string, params)
