"""The error every livestream rule raises (below the other live modules, which all use it)."""

from __future__ import annotations

from tuan.domain.shared.errors import DomainError


class LiveError(DomainError, ValueError):
    """A livestream change was refused; the message says what was wrong and what to do.

    Attributes:
        field: The form field the problem belongs to (None when it is not one field's fault).
    """

    code = "live.refused"
