"""The chain reader, made faster, reads exactly as before: results stored from the old reader.

A seeded mix of the shapes neighbours type (names with digits, rooms, codes, initials, Chinese
numerals, notes, team words, full-width forms, Latin product names) is read by
`read_quantities` and `read_entry` against five catalogues, and whole chains made of them by
`parse_chain` and `parse_chain_with_items`. Every reading (its full repr) must match
`data/reader_expected.json`, written by the reader before the speed work (commit e8359ad), and
again when the new chain shapes were merged with it (main before the merge and after it read
alike; the deliberate changes: `2份+1份`, a unit that starts a word, half a 斤); the
file keeps a short digest per input to stay small, and a failure shows the input and what is
read now. When the reader's behaviour changes on purpose, write the file again with
`uv run python -m tests.chains.test_reader_stable` and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

import pytest

from tuan.domain.chains.parse import parse_chain, parse_chain_with_items, read_entry
from tuan.domain.shared.quantity import Catalog, CatalogItem, read_quantities

EXPECTED = Path(__file__).parent / "data" / "reader_expected.json"

OILS = [
    CatalogItem("1", "冷榨橄榄油", "500ml", ("橄榄油",), "A"),
    CatalogItem("2", "冷榨亚麻籽油", "500ml", ("亚麻籽油", "亚麻"), "B"),
    CatalogItem("3", "山茶油", "500ml", ("茶油",), "C"),
    CatalogItem("4", "健康厨房入门套装", "", ("套装",), "D"),
]
FRUIT = [
    CatalogItem("w", "西瓜"),
    CatalogItem("p", "苹果", "5斤"),
    CatalogItem("m", "有机小米", "1袋", ("小米",)),
    CatalogItem("k", "黑芝麻核桃粉", "", (), "K"),
    CatalogItem("j", "砂糖橘"),
]
LATIN = [CatalogItem("o", "Olive Oil", "500ML", ("oil", "EVOO")), CatalogItem("t", "套装", "1套")]
CATALOGS = {
    "oils": Catalog(OILS),
    "fruit": Catalog(FRUIT),
    "one": Catalog([CatalogItem("n", "南瓜", "1份")]),
    "none": Catalog(),
    "typed": Catalog(OILS + LATIN, initials=True),
}
NAMES = ["王阿姨", "小王12", "Lily", "🌸李姐", "Amy妈妈", "小米", "陈晨", "张三", "王二", "ＡＢＣ"]
ROOMS = ["3-1202", "1202", "3号楼1202", "3栋1单元602", "8号楼", "12－1103", "2单元", ""]
PIECES = [
    "橄榄油×2", "亚麻2", "套装x1", "B2", "b×2", "A 橄榄油", "tz2", "gly×1", "茶油 两瓶",
    "两套", "一千二", "两百五", "三三", "一〇二", "俩", "+1", "各1", "1.5斤", "-1套装", "共3件",
    "×99999", "五斤西瓜，十斤苹果", "芝麻粉×2", "橘子3", "小米 有机小米2", "西瓜500ml×2",
    "Olive Oil×2", "OIL 2", "boil", "EVOO3", "Ｂ２", "ＯＩＬ×１", "2份", "3袋", "牛奶两箱",
    "（不要葱）", "【周六取】", "[放门口]", "备注：放门口", "跟王阿姨的团", "开团", "跟团",
    "参团李姐的团2", "带一个朋友", "10:30", "11/28", "第2", "和", "要", "谢谢", "、", "，",
]  # fmt: skip


def corpus() -> tuple[list[str], list[str]]:
    """Entry texts and whole chains, the same on every run."""
    rng = random.Random(16)
    lines = []
    for _ in range(1000):
        words = [rng.choice(NAMES), rng.choice(ROOMS)]
        words += [rng.choice(PIECES) for _ in range(rng.randint(0, 4))]
        if rng.random() < 0.2:
            rng.shuffle(words)
        glue = "" if rng.random() < 0.15 else " "
        lines.append(glue.join(word for word in words if word))
    chains = []
    for n in range(12):
        body = [f"{k}{rng.choice(['.', '、', '. '])}{rng.choice(lines)}" for k in range(1, 31)]
        if n % 3 == 0:
            body.insert(rng.randint(0, len(body)), rng.choice(lines))  # a wrapped line
        if n % 4 == 1:
            body.append(body[rng.randint(0, len(body) - 1)])  # pasted twice
        head = ["#接龙", "绿源生活｜冷榨油第3期", "例：1. 王阿姨 3-1202 套装×1", ""]
        chains.append("\n".join((head if n % 5 else head[1:2]) + body))
    return lines, chains


def readings() -> dict[str, list[str]]:
    """Every input's readings, as text (a dataclass's repr names every field)."""
    lines, chains = corpus()
    known = {"小米", "王阿姨", "小王12"}.__contains__
    return {
        "lines": [
            repr([(read_quantities(line, c), read_entry(line, c, 7, known))
                  for c in CATALOGS.values()])
            for line in lines
        ],
        "chains": [repr((parse_chain(text, known), parse_chain_with_items(text, OILS)))
                   for text in chains],
    }  # fmt: skip


def digest(reading: str) -> str:
    return hashlib.sha256(reading.encode()).hexdigest()[:16]


@pytest.fixture(scope="module")
def stored() -> dict[str, list[str]]:
    data: dict[str, list[str]] = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def now() -> dict[str, list[str]]:
    return readings()


@pytest.mark.parametrize("kind", ["lines", "chains"])
def test_reads_as_the_reader_before_the_speed_work(
    kind: str, stored: dict[str, list[str]], now: dict[str, list[str]]
) -> None:
    lines, chains = corpus()
    inputs = lines if kind == "lines" else chains
    assert len(now[kind]) == len(stored[kind]) == len(inputs)
    for text, got, want in zip(inputs, now[kind], stored[kind], strict=True):
        assert digest(got) == want, f"read differently: {text!r}\nnow: {got}"


if __name__ == "__main__":
    EXPECTED.parent.mkdir(exist_ok=True)
    written = {kind: [digest(r) for r in found] for kind, found in readings().items()}
    EXPECTED.write_text(json.dumps(written, indent=0) + "\n", encoding="utf-8")
    sys.exit(0)
