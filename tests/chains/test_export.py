"""Exporting a chain from the database, and the wording check that warns before posting."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chains.fixtures import make_shop
from tuan.db import Database
from tuan.domain.chains.entries import EntryDraft, cancel_entry, save_entry
from tuan.domain.chains.export import ChainExportError, export_chain
from tuan.domain.shared.orders import LineRequest
from tuan.domain.shared.wording import FlaggedWord, check_wording, flagged_words


def _entries(db: Database, shop) -> None:
    with db.transaction() as session:
        save_entry(
            session,
            shop.chain,
            EntryDraft(shop.members["王阿姨3-1202"], None, (LineRequest(shop.items["套装"], 1),)),
        )
        second = save_entry(
            session,
            shop.chain,
            EntryDraft(
                shop.members["小李5-601"],
                None,
                (LineRequest(shop.items["橄榄油"], 2), LineRequest(shop.items["亚麻籽油"], 1)),
                note="不要发票",
            ),
        )
        save_entry(
            session,
            shop.chain,
            EntryDraft(shop.members["陈晨"], None, (LineRequest(shop.items["亚麻籽油"], 3),)),
        )
    with db.transaction() as session:
        cancel_entry(session, second.id or 0)


def test_the_chain_text_as_wechat_expects_it(db: Database) -> None:
    shop = make_shop(db)
    _entries(db, shop)
    with db.session() as session:
        exported = export_chain(session, shop.chain)
    lines = exported.text.splitlines()
    assert lines[0] == "#接龙"
    assert lines[1] == "绿源生活｜第1期 冷榨油团"
    assert "A. 冷榨橄榄油 500ml ¥89（原价¥128）每人限3 限量50" in lines
    assert "截止：11月28日 周六 20:00" in lines
    assert "自提：3号楼门口，阳光花园3号楼大堂" in lines
    assert "自提时间：11月29日 周日 09:00-21:00" in lines
    assert any(line.startswith("例：1. ") for line in lines)
    # Entries use the short names neighbours type; a cancelled entry is left out.
    assert lines[-2:] == ["1. 王阿姨 3-1202 套装×1", "3. 陈晨 亚麻籽油×3"]
    assert exported.entries == 2


def test_opening_post_has_no_entries(db: Database) -> None:
    shop = make_shop(db)
    _entries(db, shop)
    with db.session() as session:
        opening = export_chain(session, shop.chain, with_entries=False)
    assert opening.text.startswith("#接龙\n")
    assert "王阿姨 3-1202 套装×1" not in opening.text
    assert opening.text.rstrip().splitlines()[-1].startswith("例：")


def test_unknown_chain(db: Database) -> None:
    with db.session() as session, pytest.raises(ChainExportError):
        export_chain(session, 404)


def test_wording_check_names_each_word_and_where() -> None:
    text = "#接龙\n全网最低，纯天然冷榨\n招代理，微商勿扰，第一批到货"
    hits = [(h.word, h.line, h.column) for h in check_wording(text)]
    assert hits == [
        ("全网最低", 2, 1),
        ("纯天然", 2, 6),
        ("代理", 3, 2),
        ("微商", 3, 5),
        ("第一", 3, 10),
    ]
    assert "广告法" in check_wording("最健康的油")[0].describe()
    assert "第 1 行第 1 列「最健康」" in check_wording("最健康的油")[0].describe()


def test_export_warns_on_flagged_words_without_blocking(db: Database) -> None:
    shop = make_shop(db, title="国家级有机认证 冷榨油团")
    with db.session() as session:
        exported = export_chain(session, shop.chain)
    assert [(h.word, h.line) for h in exported.warnings] == [("国家级", 2)]
    assert exported.text.startswith("#接龙")


def test_the_leader_extends_the_list_in_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    mine = tmp_path / "tuan" / "flagged_words.txt"
    mine.parent.mkdir(parents=True)
    mine.write_text("# 我自己加的\n团购价 容易被判为价格欺诈\n", encoding="utf-8")
    words = {w.word: w.reason for w in flagged_words()}
    assert words["团购价"] == "容易被判为价格欺诈"
    assert "微商" in words, "the built-in list still applies"
    hits = check_wording("今天团购价 19.9", [FlaggedWord("团购价", "x")])
    assert [(h.line, h.column) for h in hits] == [(1, 3)]


def test_the_leaders_list_saved_by_notepad_as_gbk_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    mine = tmp_path / "tuan" / "flagged_words.txt"
    mine.parent.mkdir(parents=True)
    mine.write_bytes("# 我自己加的\r\n团购价 容易被判为价格欺诈\r\n".encode("gbk"))
    assert {w.word: w.reason for w in flagged_words()}["团购价"] == "容易被判为价格欺诈"
    mine.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")  # not text: only the built-in list
    assert "团购价" not in {w.word for w in flagged_words()}
