"""The chain form (新建/编辑接龙): title, description, status, deadline, pickup, products.

A modal that returns the saved chain's id (None when the leader backs out). Every problem is
shown beside its field and in a notification; after a refused save the form re-checks as the
leader types, so each message goes away once fixed. Nothing typed is lost on a refusal.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select, Static, TextArea

from tuan.i18n import N_, _, ngettext, pgettext
from tuan.tui.chains.item_row import ChainItemRow, ItemHeader
from tuan.tui.shared.form import FormBase, Problems
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.key_bar import KeyBar

STATUS_CHOICES = (
    (N_("草稿"), "draft"),
    (N_("进行中"), "open"),
    (N_("已截单"), "closed"),
    (N_("已完成"), "done"),
)
TOP_FIELDS = ("title", "deadline", "pickup_point", "pickup_address", "pickup_time")


class ChainFormScreen(FormBase[int | None]):
    """Create (chain_id None) or edit a chain."""

    DEFAULT_CSS = """
    ChainFormScreen > Vertical {
        width: 96%; max-width: 150; height: 94%; border: thick $primary; background: $surface;
    }
    ChainFormScreen #form-title { text-style: bold; color: $accent; padding: 0 1; }
    ChainFormScreen VerticalScroll { height: 1fr; padding: 0 1; }
    ChainFormScreen .field > .field-label { width: 10; padding: 0 1 0 0; }
    ChainFormScreen #description { height: 4; }
    ChainFormScreen #status { width: 20; }
    ChainFormScreen .field-problem { padding: 0 0 0 10; }
    ChainFormScreen #items-title { text-style: bold; margin: 1 0 0 0; }
    """
    FIELD_ID = "{name}"
    PROBLEM_ID = "{name}-error"
    ENTER = "none"
    # Its own keys, in the order the footer shows them (the product keys before Esc).
    BINDINGS = [
        Binding("ctrl+s", "save", N_("保存"), id="chain_form.save", priority=True),
        Binding("ctrl+n", "add_item", N_("添加商品"), id="chain_form.add_item"),
        Binding("ctrl+r", "remove_item", N_("删除当前商品"), id="chain_form.remove_item"),
        Binding("escape", "cancel", N_("取消"), id="chain_form.cancel"),
    ]

    def __init__(self, chain_id: int | None) -> None:
        super().__init__()
        self.chain_id = chain_id
        self.tried = False  # after a refused save, re-check as the leader types
        self.context: Any = None
        self.points: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        heading = _("编辑接龙 {id}").format(id=self.chain_id) if self.chain_id else _("新建接龙")
        with Vertical():
            yield Static(heading, id="form-title")
            with VerticalScroll():
                yield from self._field("title", _("标题"), _("例如 绿源生活｜第73期 健康粮油团"))
                with Horizontal(classes="field"):  # problems with these show under the products
                    yield Label(_("说明"), classes="field-label")
                    yield TextArea(id="description", compact=True)
                with Horizontal(classes="field"):
                    yield Label(_("状态"), classes="field-label")
                    yield Select(
                        [(_(label), value) for label, value in STATUS_CHOICES],
                        value="open",
                        allow_blank=False,
                        id="status",
                        compact=True,
                    )
                yield from self._field("deadline", _("截止时间"), _("例如 11-28 20:00"))
                # The label column is 9 cells wide: these labels have short English of their own.
                point = pgettext("short label", "自提点")
                yield from self._field("pickup_point", point, _("例如 3号楼门口"))
                address = pgettext("short label", "自提地址")
                yield from self._field("pickup_address", address, _("选填：详细地址"))
                when = pgettext("short label", "自提时间")
                yield from self._field("pickup_time", when, _("例如 11-29 09:00-21:00"))
                yield Static(_("商品（ctrl+n 加一行，ctrl+r 删光标所在行）"), id="items-title")
                yield ItemHeader()
                yield Vertical(id="item-rows")
                yield self.problem_line("", id="items-error")
            yield KeyBar()

    def _field(self, name: str, label: str, placeholder: str) -> ComposeResult:
        yield from self.field(name, label, Input(placeholder=placeholder, compact=True))

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="chain-form-load")
    def _load(self) -> None:
        from tuan.domain.chains.edit import (
            ChainForm,
            EditContext,
            ItemForm,
            edit_context,
            pickup_points,
        )

        with tuan_app(self).db.session() as session:
            points = pickup_points(session)
            if self.chain_id:
                self.context = edit_context(session, self.chain_id)
            else:
                self.context = EditContext(ChainForm(items=[ItemForm(code="A")]), None, {})
        self.app.call_from_thread(self._fill, self.context.form, points)

    def _fill(self, form: Any, points: list[tuple[str, str]]) -> None:
        for name in TOP_FIELDS:
            self.query_one(f"#{name}", Input).value = getattr(form, name)
        self.query_one("#pickup_point", Input).suggester = SuggestFromList(
            [name for name, _address in points]
        )
        self.points = dict(points)
        self.query_one("#description", TextArea).text = form.description
        self.query_one("#status", Select).value = form.status
        rows = self.query_one("#item-rows", Vertical)
        rows.mount_all(ChainItemRow(_row_values(item), item.id) for item in form.items)
        self.query_one("#title", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "pickup_point":
            address = self.query_one("#pickup_address", Input)
            known = self.points.get(event.value.strip())
            if known and not address.value:
                address.value = known
        if self.tried and self.context is not None:
            self._recheck()

    def _form(self) -> Any:
        from tuan.domain.chains.edit import ChainForm, ItemForm

        items = [ItemForm(id=row.item_id, **row.values()) for row in self._rows()]
        status = self.query_one("#status", Select).value
        return ChainForm(
            title=self.query_one("#title", Input).value,
            description=self.query_one("#description", TextArea).text,
            status=str(status),
            items=items,
            **{name: self.query_one(f"#{name}", Input).value for name in TOP_FIELDS[1:]},
        )

    def _rows(self) -> list[ChainItemRow]:
        return list(self.query(ChainItemRow))

    def _recheck(self) -> None:
        from tuan.domain.chains.edit import ChainFormError, validate_chain_form

        try:
            context = self.context
            validate_chain_form(
                self._form(),
                old_deadline=context.old_deadline,
                sold=context.sold,
                old_pickup=context.old_pickup,
            )
        except ChainFormError as exc:
            self.show_problems(exc.errors, notify=False)
            return
        self.show_problems({}, notify=False)

    def show_problems(
        self,
        errors: dict[str, str],
        warnings: dict[str, str] | None = None,
        *,
        notify: bool = True,
        focus: bool = False,
    ) -> None:
        """Put each reason beside its field or product row, the rest under the products."""
        for name in TOP_FIELDS:
            self.query_one(f"#{name}", Input).set_class(name in errors, "-invalid")
        for index, row in enumerate(self._rows()):
            prefix = f"items.{index}."
            mine = {k[len(prefix) :]: v for k, v in errors.items() if k.startswith(prefix)}
            row.show_errors(mine)
        general = [errors[k] for k in ("description", "items", "status", "chain") if k in errors]
        beside = {name: errors[name] for name in TOP_FIELDS if name in errors}
        super().show_problems({**beside, "": "\n".join(general)}, notify=False, focus=focus)
        if notify and errors:
            first = next(iter(errors.values()))
            message = ngettext(
                "有 {n} 处需要修改：{first}", "有 {n} 处需要修改：{first}", len(errors)
            )
            message = message.format(n=len(errors), first=first)
            self.notify(message, severity="error", title=_("没有保存"))

    def save(self) -> None:
        """Check and save; the form stays open with every problem marked if refused."""
        self.tried = True
        self.save_in_thread(self._write, self._form())

    def _write(self, form: Any) -> int | None:
        from tuan.domain.chains.edit import ChainFormError, save_chain

        try:
            with tuan_app(self).db.transaction() as session:
                chain = save_chain(session, form, self.chain_id)
                saved_id = chain.id
        except ChainFormError as exc:
            raise Problems(exc.errors) from exc
        return saved_id

    async def action_add_item(self) -> None:
        """Add an empty product row with the next free menu code."""
        used = {row.values()["code"].strip().upper() for row in self._rows()}
        code = next((c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in used), "")
        row = ChainItemRow({"code": code})
        await self.query_one("#item-rows", Vertical).mount(row)
        row.focus_first()
        row.scroll_visible()

    def action_remove_item(self) -> None:
        """Remove the product row the cursor is in (saving refuses it if it already sold)."""
        focused = self.focused
        for row in self._rows():
            if focused is not None and focused in row.query(Input).nodes:
                row.remove()
                self.notify(_("已删除这一行商品，保存后生效"))
                return
        self.notify(_("先把光标移到要删除的商品那一行"), severity="warning")


def _row_values(item: Any) -> dict[str, str]:
    fields = ("code", "name", "spec", "price", "original", "limit", "stock", "aliases", "cost",
              "team_size", "team_price")  # fmt: skip
    return {name: getattr(item, name) for name in fields}
