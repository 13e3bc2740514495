"""The one base of every error a domain rule raises, and words made only when shown.

A `DomainError` says which form field it is about (`field`: `price`, `deadline`, `member`…),
carries a stable machine code (`code`: `price.malformed`), the same in every language, and keeps
its message as the Chinese source text (msgid) with the values of its `{placeholders}`:
`str(error)` translates then, so the language in use when it is shown is the one the leader reads.
Screens find the field from `error.field` (or `error.code`), never from the words.

    raise MoneyError(N_("金额不能为负数：{text}"), "price", code="price.negative", text=raw)
"""

from __future__ import annotations

from tuan.i18n import _


class Message:
    """Words made when shown: a msgid (Chinese source text) and its placeholders' values.

    A value may itself be a `Message` (or an error): it is made in the same language, when shown.
    """

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, /, **params: object) -> None:
        self.msgid = msgid
        self.params = params

    def __str__(self) -> str:
        text = _(self.msgid)
        return text.format(**self.params) if self.params else text

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, **{self.params!r})"


class Reason(str):
    """A reason shown to the leader, already in words, that code still tells apart by `code`.

    It *is* its text (joined, compared and printed as any string); `code` (`qty.unclear`) says
    which reason it is, so no code needs to read the words.
    """

    code: str

    def __new__(cls, text: str, code: str) -> Reason:
        reason = super().__new__(cls, text)
        reason.code = code
        return reason


def code_of(reason: str) -> str:
    """The code of a `Reason` ('' for a plain string)."""
    return getattr(reason, "code", "")


class DomainError(Exception):
    """A refusal from a domain rule; `str(error)` is its message in the current language.

    Args:
        message: The msgid (mark it with `N_`), a `Message`, or an error whose words to show.
        field: The form field the problem is about, or None when it is not one field's fault.
        code: A stable machine code (`area.what`); the class's own code when not given.
        params: The values of the msgid's `{placeholders}`.

    Attributes:
        field: As above.
        code: As above.
        message: What `str(error)` shows, made when shown.
    """

    code: str = "domain"
    field: str | None = None

    def __init__(
        self,
        message: str | Message | BaseException = "",
        field: str | None = None,
        /,
        *,
        code: str | None = None,
        **params: object,
    ) -> None:
        super().__init__(message)
        self.message: Message | BaseException = (
            Message(message, **params) if isinstance(message, str) else message
        )
        if field:
            self.field = field
        if code:
            self.code = code

    def __str__(self) -> str:
        return str(self.message)
