"""The error every livestream rule raises (below the other live modules, which all use it)."""

from __future__ import annotations


class LiveError(ValueError):
    """A livestream change was refused; the message says what was wrong and what to do.

    Attributes:
        field: The form field the problem belongs to ('' when it is not one field's fault).
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field
