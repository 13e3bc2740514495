"""Importing a pasted chain: who each line is, what it orders, and what applying writes."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from tests.chains.fixtures import make_shop, order_count, view_of
from tuan import clock
from tuan.db import Database
from tuan.domain.chains.edit import ChainForm, ItemForm, save_chain
from tuan.domain.chains.export import export_chain
from tuan.domain.chains.import_apply import apply_plan
from tuan.domain.chains.import_draft import ImportDraft, build_draft
from tuan.domain.chains.import_plan import Decisions, ImportPlan, import_report, plan_import
from tuan.domain.shared.member_match import MemberIndex
from tuan.domain.shared.people import MemberDraft, create_member
from tuan.models import Chain, ChainItem, FlashSale, Livestream, Member, Order, OrderLine
from tuan.tui.chains.preview import summary_text

PASTED = """#接龙 绿源生活｜第1期 冷榨油团
11.28号周六到货
例：1. 王阿姨 3-1202 A×1

1. 王阿姨 3-1202 套装×1
2、小李 5-601 亚麻籽油2 不要发票
3．🌸李阿姨 2号楼301 橄榄两瓶
4.
5. 新来的张姐 9栋1单元902 B*3
截止后不再加单
"""


def _import(db: Database, text: str, chain_id: int | None, decisions: Decisions | None = None):
    with db.transaction() as session:
        draft = build_draft(session, text, chain_id)
        plan = plan_import(draft, decisions)
        result = apply_plan(session, draft, plan)
    return draft, plan, result


def _preview(
    db: Database, text: str, chain_id: int | None, decisions: Decisions | None = None
) -> ImportPlan:
    with db.session() as session:
        return plan_import(build_draft(session, text, chain_id), decisions)


def test_members_are_matched_by_name_and_room(db: Database) -> None:
    shop = make_shop(db)
    with db.session() as session:
        index = MemberIndex.load(session)
    wang = shop.members["王阿姨3-1202"]
    assert index.match("王阿姨", "3-1202").member_id == wang
    assert index.match("🌸王阿姨～", "1202").member_id == wang, "emoji and no building"
    assert index.match("", "3-1202").member_id == wang, "a room alone"
    assert index.match("王阿姨", None).status == "ambiguous", "two 王阿姨, no room"
    assert len(index.match("王阿姨", None).candidates) == 2
    assert index.match("小李", None).member_id == shop.members["小李5-601"]
    newcomer = index.match("张姐", "9-902")
    assert (newcomer.status, newcomer.member_id) == ("new", None)
    other_room = index.match("王阿姨", "8-808")
    assert other_room.status == "new" and "房号不同" in other_room.note
    assert index.match("", None).status == "missing"


def test_a_unit_keeps_two_homes_apart_and_is_optional_for_a_known_home() -> None:
    from tuan.domain.shared.member_match import Known

    index = MemberIndex(
        [Known(1, "林姐", "", "3", "1-602"), Known(2, "周哥", "", "3", "2-602"),
         Known(3, "老陈", "", "5", "301")]
    )  # fmt: skip
    assert index.match("", "3栋1单元602").member_id == 1
    assert index.match("", "3-2-602").member_id == 2
    # Two homes share 3-602: without the unit it is for the leader to say which.
    assert index.match("", "3-602").status != "matched"
    # 老陈 was recorded without a unit; 5栋1单元301 is still his home.
    assert index.match("老陈", "5栋1单元301").member_id == 3


def test_preview_lists_every_entry_and_every_unread_line(db: Database) -> None:
    shop = make_shop(db)
    with db.session() as session:
        draft = build_draft(session, PASTED, shop.chain)
    plan = plan_import(draft)
    rows = [
        (r.seq, r.member_status, [(i.name, i.qty) for i in r.items], r.note, r.action)
        for r in plan.rows
    ]
    assert rows == [
        (1, "matched", [("健康厨房入门套装", 1)], "", "add"),
        (2, "matched", [("冷榨亚麻籽油", 2)], "不要发票", "add"),
        (3, "matched", [("冷榨橄榄油", 2)], "", "add"),
        (5, "new", [("冷榨亚麻籽油", 3)], "", "add"),
    ]
    assert [(u.line, u.text) for u in draft.unparsed] == [(10, "截止后不再加单")]
    assert draft.unparsed[0].reason
    assert plan.summary() == {"added": 4, "updated": 0, "unchanged": 0, "removed": 0}


def test_apply_writes_orders_members_and_keeps_pasted_numbers(db: Database) -> None:
    shop = make_shop(db)
    _draft, _plan, result = _import(db, PASTED, shop.chain)
    assert result.summary["added"] == 4 and result.errors == {} and result.members_created == 1
    with db.session() as session:
        view = view_of(session, shop.chain)
        zhang = session.exec(select(Member).where(col(Member.nickname) == "新来的张姐")).one()
        prices = session.exec(
            select(OrderLine.unit_price_cents).join(Order).where(col(Order.chain_id) == shop.chain)
        ).all()
    assert [(e.seq, e.nickname, e.room) for e in view.entries] == [
        (1, "王阿姨", "3-1202"),
        (2, "小李", "5-601"),
        (3, "李阿姨", "2-301"),
        (5, "新来的张姐", "9-1-902"),
    ]
    assert (zhang.building, zhang.room, zhang.initials) == ("9", "1-902", "xldzj")
    assert sorted(set(prices)) == [6900, 8900, 25900], "captured at the chain price"
    assert view.entries[1].note == "不要发票"


def test_ambiguous_member_waits_for_the_leader(db: Database) -> None:
    shop = make_shop(db)
    text = "1. 王阿姨 套装1\n2. 小李 亚麻1\n"
    plan = _preview(db, text, shop.chain)
    first = plan.rows[0]
    assert (first.member_status, first.applies, first.status) == ("ambiguous", False, "review")
    assert plan.summary()["added"] == 1
    other_wang = shop.members["王阿姨7-101"]
    _d, plan, result = _import(db, text, shop.chain, Decisions(members={0: other_wang}))
    assert result.summary["added"] == 2
    with db.session() as session:
        members = session.exec(select(Order.member_id).where(col(Order.seq) == 1)).all()
    assert members == [other_wang]


def test_skipped_lines_are_not_applied(db: Database) -> None:
    shop = make_shop(db)
    _d, plan, result = _import(db, PASTED, shop.chain, Decisions(skipped={3}))
    assert result.summary["added"] == 3
    assert "已跳过" in plan.rows[3].reasons
    assert order_count(db, shop.chain) == 3


def test_stock_refusal_holds_only_that_line(db: Database) -> None:
    shop = make_shop(db)
    with db.transaction() as session:
        kit = session.get(ChainItem, shop.items["套装"])
        assert kit is not None
        kit.stock = 3
    text = "1. 王阿姨 3-1202 套装2\n2. 小李 5-601 套装2\n3. 李阿姨 2-301 亚麻1\n"
    draft, plan, result = _import(db, text, shop.chain)
    assert list(result.errors) == [1]
    assert "库存不足" in result.errors[1]
    assert result.summary == {"added": 2, "updated": 0, "unchanged": 0, "removed": 0}
    report = import_report(draft, plan, chain_id=shop.chain, errors=result.errors)
    assert [e["status"] for e in report["entries"]] == ["ok", "review", "ok"]
    assert order_count(db, shop.chain) == 2


def test_limit_counts_every_line_of_the_same_person(db: Database) -> None:
    shop = make_shop(db)
    # 王阿姨 twice (3 + 2 olive oil, limit 3): with the later line winning only one line counts.
    text = "1. 王阿姨 3-1202 橄榄油3\n2. 王阿姨 3-1202 橄榄油2\n"
    _d, _p, result = _import(db, text, shop.chain, Decisions(later_wins=True))
    assert result.errors == {} and result.summary["added"] == 1
    with db.session() as session:
        (entry,) = view_of(session, shop.chain).entries
    assert entry.items == ((shop.items["橄榄油"], 2),)


def test_a_line_that_adds_more_goes_onto_the_persons_order(db: Database) -> None:
    shop = make_shop(db)
    text = "1. 王阿姨 3-1202 橄榄油1\n2. 小李 5-601 亚麻1\n3. 王阿姨 3-1202 再加橄榄油1 套装1\n"
    draft, plan, result = _import(db, text, shop.chain)
    assert result.errors == {} and result.summary["added"] == 2
    summary = str(summary_text(plan, draft, {}, Decisions()))
    assert "新增 2" in summary and "不会导入" not in summary, "its items are imported"
    assert "加上了第 3 条再加的" in plan.rows[0].reasons
    assert plan.rows[2].reasons == ("加到第 1 条（同一个人再加的）",)
    assert not plan.rows[2].applies and plan.rows[2].added_to == 0
    with db.session() as session:
        wang = next(e for e in view_of(session, shop.chain).entries if e.seq == 1)
    assert sorted(wang.items) == sorted(((shop.items["橄榄油"], 2), (shop.items["套装"], 1)))
    again = _preview(db, text, shop.chain)  # the same copy again: nothing to do
    assert [row.action for row in again.rows] == ["unchanged"] * 3
    assert _preview(db, text, shop.chain, Decisions(later_wins=True)).rows[0].action == "unchanged"


def test_an_open_flash_sale_price_is_captured(db: Database) -> None:
    shop = make_shop(db)
    now = clock.now()
    with db.transaction() as session:
        live = Livestream(theme="食用油的选择", status="live", chain_id=shop.chain,
                          started_at=now - timedelta(minutes=10))  # fmt: skip
        session.add(live)
        session.flush()
        assert live.id is not None
        session.add(FlashSale(livestream_id=live.id, item_id=shop.items["套装"],
                              live_price_cents=19900, start_minute=0, cap=1))  # fmt: skip
    _import(db, "1. 王阿姨 3-1202 套装2\n2. 小李 5-601 亚麻1\n", shop.chain)
    with db.session() as session:
        kit_prices = sorted(
            (line.qty, line.unit_price_cents)
            for line in session.exec(
                select(OrderLine).where(col(OrderLine.item_id) == shop.items["套装"])
            )
        )
    assert kit_prices == [(1, 19900), (1, 25900)], (
        "one at the live price (cap 1), one at the chain price"
    )


def test_without_a_chain_the_header_makes_a_new_one(db: Database) -> None:
    text = (
        "#接龙\n绿源生活｜第9期 粮油团\n"
        "A. 有机五常大米 5kg ¥89（原价¥119）每人限2\nB. 黑芝麻核桃粉 500g ¥45\n"
        "截止：11月29日 周日 20:00\n自提：南门快递柜旁，阳光花园南门\n"
        "例：1. 王阿姨 3-1202 A×1\n\n1. 王阿姨 3-1202 大米×1\n2. 小李 5-601 B2 黑芝麻1\n"
    )
    make_shop(db)
    draft, _plan, result = _import(db, text, None)
    assert draft.title == "绿源生活｜第9期 粮油团"
    with db.session() as session:
        chain = session.get(Chain, result.chain_id)
        assert chain is not None and chain.id is not None and chain.deadline is not None
        items = session.exec(select(ChainItem).where(col(ChainItem.chain_id) == chain.id)).all()
        view = view_of(session, chain.id)
    assert chain.title == "绿源生活｜第9期 粮油团" and chain.deadline.day == 29
    assert [(i.code, i.name, i.price_cents, i.limit_per_person) for i in items] == [
        ("A", "有机五常大米", 8900, 2),
        ("B", "黑芝麻核桃粉", 4500, None),
    ]
    assert [e.items for e in view.entries] == [((items[0].id, 1),), ((items[1].id, 3),)]


def test_a_member_named_like_the_product_is_that_member(db: Database) -> None:
    with db.transaction() as session:
        form = ChainForm(title="小米团", items=[ItemForm(name="有机小米", spec="2kg", price="39")])
        chain = save_chain(session, form)
        xiaomi = create_member(session, MemberDraft(nickname="小米", building="3", room="1202"))
        session.flush()
        chain_id, member_id = chain.id, xiaomi.id
    text = "1. 小米 2\n2. 小米 有机小米×1 不要袋子\n3. 小米 3-1202 2\n"
    with db.session() as session:
        draft = build_draft(session, text, chain_id)
    assert [(e.parsed.name, e.match.member_id, e.problems) for e in draft.entries] == [
        ("小米", member_id, ()),
        ("小米", member_id, ()),
        ("小米", member_id, ()),
    ]
    assert [[(i.name, i.qty) for i in e.items] for e in draft.entries] == [
        [("有机小米", 2)],
        [("有机小米", 1)],
        [("有机小米", 2)],
    ]


def test_every_demo_chain_reads_back_from_its_own_export_as_a_new_chain(
    demo_db: Database, db: Database
) -> None:
    def ordered(draft: ImportDraft) -> list[list[tuple[str | None, int]]]:
        return [[(item.name, item.qty) for item in entry.items] for entry in draft.entries]

    with demo_db.session() as session:
        chains = [chain_id for chain_id in session.exec(select(Chain.id)) if chain_id is not None]
        exported = {chain_id: export_chain(session, chain_id).text for chain_id in chains}
        # Read against the chain's own items (aliases known), the entries are its orders.
        orders = {chain_id: ordered(build_draft(session, exported[chain_id], chain_id))
                  for chain_id in chains}  # fmt: skip
    unread = []
    for chain_id, text in exported.items():
        with db.session() as session:
            draft = build_draft(session, text, None)
        unread += [
            (chain_id, entry.parsed.raw, entry.parsed.reasons, entry.problems)
            for entry in draft.entries
            if entry.parsed.status != "ok" or entry.problems
        ]
        assert ordered(draft) == orders[chain_id], chain_id
    assert len(exported) == 72 and unread == []
    with db.session() as session:
        draft_72 = build_draft(session, exported[72], None)
    kit = draft_72.new_items[0]
    assert (kit.name, kit.spec) == ("健康厨房入门套装", "橄榄油+亚麻籽油+山茶油 各100ml")
    olive = [e for e in draft_72.entries if "橄榄油" in e.parsed.raw]
    assert olive and all("冷榨橄榄油" in {i.name for i in e.items} for e in olive)


TOKENS = st.sampled_from(
    ["1.", "2、", "３．", "4.", "12.", " ", "\n", "王阿姨", "小李", "🌸", "3-1202", "5-601", "1202",
     "套装", "橄榄油", "亚麻", "A", "b", "×2", "x3", "*2", "+1", "两份", "三瓶", "0", "999999",
     "（不要葱）", "#接龙", "例：", "截止", "¥89", "榴莲", "，", "备注：周六"]
)  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.lists(TOKENS, max_size=40).map("".join), flags=st.tuples(st.booleans(), st.booleans())
)
def test_no_pasted_text_makes_the_import_fail(db: Database, text: str, flags) -> None:
    shop = make_shop(db, title="随机粘贴")
    decisions = Decisions(later_wins=flags[0], cancel_removed=flags[1])
    _import(db, "1. 王阿姨 3-1202 套装1\n2. 小李 5-601 亚麻2\n", shop.chain)
    with db.transaction() as session:
        draft = build_draft(session, text, shop.chain)
        plan = plan_import(draft, decisions)
        result = apply_plan(session, draft, plan)
        session.rollback()
    report = import_report(draft, plan, chain_id=shop.chain, errors=result.errors)
    assert set(report["summary"]) == {"added", "updated", "unchanged", "removed"}


def test_following_someone_in_a_chain_without_teams_stays_in_the_note(db: Database) -> None:
    # `跟王阿姨` is a 拼团 only where something is sold in teams; here it is what she wrote.
    shop = make_shop(db)
    text = PASTED.replace("2、小李 5-601 亚麻籽油2 不要发票", "2、小李 5-601 亚麻籽油2 跟王阿姨")
    _draft, plan, result = _import(db, text, shop.chain)
    assert result.errors == {}
    assert [row.note for row in plan.rows if row.name == "小李"] == ["跟王阿姨"]
    with db.session() as session:
        assert view_of(session, shop.chain).entries[1].note == "跟王阿姨"
    again = _preview(db, text, shop.chain)
    assert {row.action for row in again.rows} == {"unchanged"}, "read the same way next time"


def test_two_word_nicknames_read_back_from_the_export(db: Database) -> None:
    from tuan.domain.shared.orders import LineRequest, place_order

    shop = make_shop(db)
    item = next(iter(shop.items.values()))
    with db.transaction() as session:
        people = (("Coco 李", "", ""), ("Amy Wang", "7", "303"), ("王 阿姨", "", ""))
        for nickname, building, room in people:
            member = create_member(session, MemberDraft(nickname, building, room))
            session.flush()
            place_order(session, shop.chain, member.id or 0, [LineRequest(item, 1)])
        text = export_chain(session, shop.chain).text
    plan = _preview(db, text, shop.chain)
    assert [(row.name, row.action, row.note) for row in plan.rows] == [
        ("Coco 李", "unchanged", ""),
        ("Amy Wang", "unchanged", ""),
        ("王 阿姨", "unchanged", ""),
    ]
