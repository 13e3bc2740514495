"""Small SQL pieces that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, cast, func


def int_sum(expression: Any) -> Any:
    """SUM that reads back as a Python int everywhere (PostgreSQL sums bigints as numeric)."""
    return cast(func.sum(expression), BigInteger)
