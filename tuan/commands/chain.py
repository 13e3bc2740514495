"""`tuan chain …`: list chains, export the chain text, import a pasted chain."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from tuan.commands.common import fail, info, open_db, print_json
from tuan.domain.shared.file_errors import os_problem
from tuan.i18n import _, ngettext

app = typer.Typer(help=_("接龙：列表、导出接龙文字、导入群里复制回来的接龙"), no_args_is_help=True)


GROUP_HELP = _("哪个微信群的接龙（同一接龙发在几个群时各群分开编号；不给就是首发群）")


def unknown_chain(chain_id: int) -> NoReturn:
    """Exit 2: no chain has this id."""
    fail(_("找不到接龙 {id}，用 `tuan chain list` 查看编号").format(id=chain_id))


@app.command("list", help=_("列出接龙：状态、截止时间、单数、已售和成交额。"))
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """List chains: status, deadline, orders, sold and GMV."""
    from tuan.domain.chains.listing import list_chains, status_label
    from tuan.domain.shared.money import format_amount
    from tuan.domain.shared.timefmt import short_datetime

    with open_db(ctx).session() as session:
        chains = list_chains(session)
    if as_json:
        print_json(
            [
                {
                    "id": c.id,
                    "title": c.title,
                    "status": c.status,
                    "deadline": c.deadline.isoformat() if c.deadline else None,
                    "entries": c.entries,
                    "sold": c.sold,
                    "stock": c.stock,
                    "gmv_cents": c.gmv_cents,
                    "unpriced_lines": c.unpriced,
                }
                for c in chains
            ]
        )
        return
    for c in chains:
        orders = ngettext("单", "单", c.entries)
        typer.echo(
            f"{c.id:>4}  {status_label(c.status)}  {short_datetime(c.deadline):<16} "
            f"{c.entries:>4}{orders}  {format_amount(c.gmv_cents, bool(c.unpriced)):>10}  {c.title}"
        )


@app.command(
    "copy",
    help=_(
        "复制成下一期：新的草稿接龙，商品、价格、限购、库存、说明和自提点照旧，期数加一，"
        "截止和自提时间按这一系列的间隔顺延（没有上一期就是 7 天），没有条目。"
    ),
)
def copy_(
    ctx: typer.Context,
    chain_id: Annotated[int, typer.Argument(help=_("接龙编号（见 tuan chain list）"))],
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """Make the next period of a chain as a new draft: same items, prices, limits, stock,
    description and pickup point, the period number advanced, the deadline and pickup moved by the
    series' interval (7 days without a period before), no entries.
    """
    from tuan.domain.chains.copy import ChainCopyError, copy_chain
    from tuan.domain.chains.listing import status_label
    from tuan.domain.shared.timefmt import short_datetime

    try:
        with open_db(ctx).transaction() as session:
            made = copy_chain(session, chain_id)
            chain = made.chain
            new_id, title, status = chain.id, chain.title, chain.status
            deadline, start, end = chain.deadline, chain.pickup_start, chain.pickup_end
    except ChainCopyError:
        unknown_chain(chain_id)
    if as_json:
        print_json(
            {
                "id": new_id,
                "copied_from": chain_id,
                "title": title,
                "status": status,
                "deadline": deadline.isoformat() if deadline else None,
                "pickup_start": start.isoformat() if start else None,
                "pickup_end": end.isoformat() if end else None,
                "items": made.items,
                "shifted_days": made.shift.total_seconds() / 86400,
            }
        )
    else:
        typer.echo(f"{new_id:>4}  {status_label(status)}  {short_datetime(deadline):<16} {title}")
    message = ngettext(
        "已复制接龙 {source} 为新草稿 {id}「{title}」：{n} 个商品，时间顺延 {days} 天",
        "已复制接龙 {source} 为新草稿 {id}「{title}」：{n} 个商品，时间顺延 {days} 天",
        made.items,
    )
    days = f"{made.shift.total_seconds() / 86400:g}"
    info(message.format(source=chain_id, id=new_id, title=title, n=made.items, days=days))


@app.command(
    "export", help=_("打印接龙文字（#接龙 开头），可直接粘贴到微信群。敏感词提醒打印在 stderr。")
)
def export(
    ctx: typer.Context,
    chain_id: Annotated[int, typer.Argument(help=_("接龙编号（见 tuan chain list）"))],
    no_entries: Annotated[
        bool, typer.Option("--no-entries", help=_("只导出开团文案，不带接龙条目"))
    ] = False,
    output: Annotated[
        str | None, typer.Option("-o", "--output", help=_("写入文件（默认打印到标准输出）"))
    ] = None,
    group: Annotated[str, typer.Option("--group", "-g", help=GROUP_HELP)] = "",
) -> None:
    """Print the chain text (starting with #接龙), ready to paste into WeChat. Flagged-word warnings
    go to stderr.
    """
    from tuan.domain.chains.export import ChainExportError, export_chain

    group = _group(group)
    try:
        with open_db(ctx).session() as session:
            exported = export_chain(session, chain_id, with_entries=not no_entries, group=group)
    except ChainExportError:
        unknown_chain(chain_id)
    for hit in exported.warnings:
        info(_("提醒：{hit}").format(hit=hit.describe()))
    if output is None:
        sys.stdout.write(exported.text)
        return
    try:
        Path(output).expanduser().write_text(exported.text, encoding="utf-8")
    except OSError as exc:
        fail(_("写不了文件 {path}：{error}").format(path=output, error=os_problem(exc)))
    info(_("已写入 {path}").format(path=output))


@app.command(
    "import", help=_("导入从微信群复制回来的接龙：新条目添加，改过的更新，重复导入不会重复下单。")
)
def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help=_("接龙文字文件；- 表示从标准输入读"))],
    chain_id: Annotated[
        int | None, typer.Option("--chain", help=_("导入到这个接龙；不给就按文字的标题和商品新建"))
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("只预览，不写入"))] = False,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help=_("同意：同一人以后一条为准、取消群里已删除的条目"))
    ] = False,
    group: Annotated[str, typer.Option("--group", "-g", help=GROUP_HELP)] = "",
) -> None:
    """Import a chain copied back from WeChat: new entries are added, changed ones updated;
    importing again never doubles an order.
    """
    text = _read_text(file)
    from tuan.domain.chains.import_draft import NoProductsError, UnknownChainError, build_draft
    from tuan.domain.chains.import_plan import plan_import

    database = open_db(ctx)
    try:
        with database.session() as session:
            draft = build_draft(session, text, chain_id, _group(group))
    except UnknownChainError:
        unknown_chain(chain_id or 0)
    except NoProductsError as error:
        fail(str(error))
    decisions = _decide(plan_import(draft), yes=yes, ask=sys.stdin.isatty() and file != "-")
    report, reasons = _apply(database, draft, decisions, dry_run=dry_run)
    if as_json:
        print_json(report)
    else:
        _print_report(report, reasons)
    _tell(report, draft.hint, dry_run=dry_run, as_json=as_json)


def _group(text: str) -> str:
    """The group name as given; exit 2 when it is too long."""
    from tuan.domain.shared.groups import clean_group

    try:
        return clean_group(text)
    except ValueError as error:
        fail(str(error))


def _read_text(file: str) -> str:
    """The chain text from a file or stdin (UTF-8, GBK, UTF-16…); exit 2 when it cannot be read,
    is not text or is empty.
    """
    from tuan.domain.shared.text_files import TextFileError, decode_text, read_text_file

    try:
        if file != "-":
            text = read_text_file(file)
        elif hasattr(sys.stdin, "buffer"):
            text = decode_text(sys.stdin.buffer.read(), _("标准输入"))
        else:
            text = sys.stdin.read()
    except TextFileError as error:
        fail(str(error))
    except OSError as exc:
        fail(_("读不了文件 {file}：{reason}").format(file=file, reason=os_problem(exc)))
    if not text.strip():
        fail(_("文件是空的：{file}，请放进群里复制的接龙文字再导入").format(file=file))
    return text


def _decide(plan: Any, *, yes: bool, ask: bool) -> Any:
    """The leader's answers: `--yes` agrees to both questions; a terminal asks each."""
    from tuan.domain.chains.import_plan import Decisions

    decisions = Decisions(later_wins=yes, cancel_removed=yes)
    if yes or not ask:
        return decisions
    if plan.duplicates:
        question = ngettext(
            "有 {n} 人接了不止一次，以每人最后一条为准吗？",
            "有 {n} 人接了不止一次，以每人最后一条为准吗？",
            plan.duplicates,
        ).format(n=plan.duplicates)
        decisions.later_wins = typer.confirm(question, default=False, err=True)
    if plan.removals:
        question = ngettext(
            "群里的接龙里少了 {n} 条，要在这里取消它们吗？",
            "群里的接龙里少了 {n} 条，要在这里取消它们吗？",
            plan.removals,
        ).format(n=plan.removals)
        decisions.cancel_removed = typer.confirm(question, default=False, err=True)
    return decisions


def _apply(
    database: Any, draft: Any, decisions: Any, *, dry_run: bool
) -> tuple[dict[str, Any], dict[int, tuple[str, ...]]]:
    """Apply in one transaction (rolled back for a dry run): the JSON report, reasons by row."""
    from tuan.domain.chains.import_apply import apply_plan
    from tuan.domain.chains.import_plan import import_report, plan_import

    plan = plan_import(draft, decisions)
    with database.transaction() as session:
        result = apply_plan(session, draft, plan)
        if dry_run:
            session.rollback()
    chain_id = draft.chain_id if dry_run else result.chain_id
    report = import_report(draft, plan, chain_id=chain_id, errors=result.errors)
    reasons = {
        n: (result.errors[n], *row.reasons) if n in result.errors else row.reasons
        for n, row in enumerate(plan.rows)
    }
    return report, reasons


def _print_report(report: dict[str, Any], reasons_by_row: dict[int, tuple[str, ...]]) -> None:
    """The preview as lines: number, name, room, items, action, reasons; then unread lines."""
    from tuan.domain.shared.states import ImportAction as A

    labels = {A.ADD: _("新增"), A.UPDATE: _("更新"), A.UNCHANGED: _("不变"), A.REMOVE: _("删除")}
    for n, entry in enumerate(report["entries"]):
        items = " ".join(f"{i['item'] or '?'}×{i['qty']}" for i in entry["items"])
        words = [str(entry["seq"]), entry["name"], entry["room"] or "", items, entry["note"]]
        line = f"{labels[entry['action']]}  " + "  ".join(w for w in words if w)
        reasons = reasons_by_row.get(n, ())
        typer.echo(line + (f"  [{_('；').join(reasons)}]" if reasons else ""))
    for line in report["unparsed"]:
        typer.echo(_("第 {n} 行没读懂：{text}（{reason}）").format(
            n=line["line"], text=line["text"], reason=line["reason"]))  # fmt: skip


def _tell(report: dict[str, Any], hint: str, *, dry_run: bool, as_json: bool) -> None:
    """The summary, the draft's `hint` and what needs the leader's eye, on stderr."""
    from tuan.domain.shared.states import EntryStatus

    s = report["summary"]
    counts = _("新增 {a}，更新 {u}，不变 {c}，取消 {r}").format(
        a=s["added"], u=s["updated"], c=s["unchanged"], r=s["removed"]
    )
    chain = report["chain"]
    where = _("接龙 {id}").format(id=chain["id"]) if chain["id"] else _("新接龙")
    prefix = _("预览（没有写入）") if dry_run else _("已导入")
    summary = _("{prefix}：{where}「{title}」 {counts}")
    info(summary.format(prefix=prefix, where=where, title=chain["title"], counts=counts))
    if hint:
        info(hint)
    review = sum(1 for e in report["entries"] if e["status"] == EntryStatus.REVIEW)
    if review:
        where = _("JSON 里 status 为 review") if as_json else _("见上面方括号里的说明")
        info(
            ngettext("{n} 条需要看一下（{where}）", "{n} 条需要看一下（{where}）", review).format(
                n=review, where=where
            )
        )
    if report["unparsed"]:
        unparsed = len(report["unparsed"])
        info(
            ngettext("{n} 行没读懂，没有导入", "{n} 行没读懂，没有导入", unparsed).format(
                n=unparsed
            )
        )
