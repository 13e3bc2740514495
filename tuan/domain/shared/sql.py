"""Small SQL pieces that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import BigInteger, Cast, Table, cast, func, inspect
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
