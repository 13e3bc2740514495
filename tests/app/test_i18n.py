"""The English interface: a complete catalogue, nothing shown that skips `_`, language choice.

The Chinese source text is the msgid; `tuan/locale/en/LC_MESSAGES/tuan.po` must translate every
one of them (both forms of a count's message), and the `tuan.mo` compiled from it is what the app
reads. What stays Chinese on purpose (the chain text neighbours read, input grammar, demo
and stored data) is listed below or marked `# i18n-keep: <why>` on its line.
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from typer.testing import CliRunner

from tests.helpers import settle, until
from tuan import i18n
from tuan.i18n import LOCALE_DIR, detect_language, set_language

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from i18n_extract import (  # noqa: E402
    catalogue_key,
    compiled,
    messages,
    read_catalogue,
    template,
)

ENGLISH_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "tuan.po"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")
MARKERS = {"_", "N_", "pgettext", "NP_", "ngettext", "npgettext"}
KEEP = "# i18n-keep"
RE_FUNCTIONS = {"compile", "match", "fullmatch", "search", "sub", "split", "findall", "finditer"}

#: Modules whose Chinese literals are not interface text, and why.
NOT_INTERFACE = {
    # Demo data: the 绿源生活 story is data, in the language its leader wrote it.
    "tuan/domain/demo/seed.py": "demo data",
    "tuan/domain/demo/builder.py": "demo data",
    "tuan/domain/demo/story.py": "demo data",
    "tuan/domain/demo/live.py": "demo data",
    "tuan/domain/demo/reminders.py": "demo data",
    "tuan/domain/demo/coupons.py": "demo data",
    # Text neighbours read in WeChat or on the wall, Chinese in every interface language.
    "tuan/domain/chains/text.py": "the chain text (#接龙, 截止, 自提, 例…), read back on import",
    "tuan/domain/partners/poster_layout.py": "the printed poster's words, Chinese line-break rules",
    # Input grammar: the words and units people type, which the parsers read.
    "tuan/domain/shared/quantity.py": "units, number words and filler words of a chain entry",
    "tuan/domain/shared/units.py": "the counting words (份, 箱, 斤) entries are written with",
    "tuan/domain/shared/text.py": "Chinese numerals and full-width forms",
    "tuan/domain/chains/lines.py": "the chain's own markers (#接龙, 例, 截止) and numbering",
    "tuan/domain/chains/header.py": "price, limit and stock words of a chain's product lines",
    "tuan/domain/chains/from_text.py": "pickup words of a chain's header",
    "tuan/domain/shared/item_names.py": "units and separators of product names",
    "tuan/domain/shared/rooms.py": "building and room words (号楼, 栋, 单元)",
    "tuan/domain/shared/when.py": "date and time words (明天, 下午, 至)",
}


def _python_files() -> Iterator[tuple[str, Path]]:
    for path in sorted((ROOT / "tuan").rglob("*.py")):
        yield path.relative_to(ROOT).as_posix(), path


def _exempt_nodes(tree: ast.AST) -> set[int]:
    """Literals that are not shown as they are: docstrings, marked text, regular expressions."""
    exempt: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = body[0] if body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                exempt.add(id(first.value))
        if isinstance(node, ast.Call):
            func = node.func
            marked = isinstance(func, ast.Name) and func.id in MARKERS
            pattern = (
                isinstance(func, ast.Attribute)
                and func.attr in RE_FUNCTIONS
                and isinstance(func.value, ast.Name)
                and func.value.id == "re"
            )
            if marked or pattern:
                exempt.update(id(sub) for sub in ast.walk(node))
    return exempt


def _statement_starts(tree: ast.AST) -> dict[int, int]:
    """Node id → first line of the innermost statement holding it."""
    starts: dict[int, int] = {}
    for statement in ast.walk(tree):
        if isinstance(statement, ast.stmt):
            for sub in ast.walk(statement):
                starts[id(sub)] = statement.lineno
    return starts


def unmarked_chinese(path: Path) -> list[tuple[int, str]]:
    """Chinese string literals outside `_()`/`N_()`, not kept on purpose (`# i18n-keep`).

    The pragma counts on the literal's own lines or on the line above its statement.
    """
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    exempt = _exempt_nodes(tree)
    starts = _statement_starts(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if id(node) in exempt or not CJK.search(node.value):
            continue
        near = lines[node.lineno - 1 : node.end_lineno]
        start = starts.get(id(node), node.lineno)
        if start >= 2:
            near.append(lines[start - 2])
        if not any(KEEP in line for line in near):
            found.append((node.lineno, node.value))
    return found


def _fields(text: str) -> list[tuple[str, str]]:
    """The `{name:spec}` fields of a format string (`{{` is a literal brace, not a field)."""
    return sorted(
        (name, spec or "") for _lit, name, spec, _conv in string.Formatter().parse(text) if name
    )


@pytest.fixture
def english() -> Iterator[None]:
    """English for one test, Chinese again afterwards whatever happens."""
    set_language("en")
    try:
        yield
    finally:
        set_language("zh")


def _forms(message: Message) -> list[str]:
    """A message's translation: one string, or one per plural form."""
    string = message.string
    return [string or ""] if isinstance(string, str) or string is None else list(string)


def _entries(catalog: Catalog) -> dict[str, Message]:
    return {catalogue_key(m.id, m.context): m for m in catalog if m.id}


@pytest.fixture(scope="module")
def english_po() -> Catalog:
    return read_catalogue(ENGLISH_PO, "en")


def test_every_string_the_app_shows_has_an_english_translation(english_po: Catalog) -> None:
    entries = _entries(english_po)
    missing = [
        key
        for key in messages()
        if key not in entries
        or entries[key].fuzzy
        or not all(form.strip() for form in _forms(entries[key]))
    ]
    assert missing == [], (
        f"{len(missing)} strings have no English (or a fuzzy one): run "
        f"`uv run python scripts/i18n_extract.py`, translate them in "
        f"{ENGLISH_PO.relative_to(ROOT)} (both msgstr[0] and msgstr[1] of a plural entry), "
        f"drop the `#, fuzzy` you have checked and run it again; first: {missing[:5]}"
    )


def test_a_count_has_its_english_singular_and_plural(english_po: Catalog) -> None:
    plurals = {m.id[0]: m for m in english_po if m.pluralizable}
    assert len(plurals) >= 40
    assert english_po.num_plurals == 2
    assert _forms(plurals["{n} 单"]) == ["{n} order", "{n} orders"]
    for msgid, message in plurals.items():
        assert len(_forms(message)) == 2, msgid
        assert all(form.strip() for form in _forms(message)), f"{msgid!r}: fill both forms"
        assert _forms(message)[0] != _forms(message)[1], f"{msgid!r}: one form for 1 and 2"


def test_no_chinese_is_shown_without_going_through_the_translation_function() -> None:
    offenders = [
        f"{name}:{line}: {text[:40]!r}"
        for name, path in _python_files()
        if name not in NOT_INTERFACE
        for line, text in unmarked_chinese(path)
    ]
    assert offenders == [], "wrap in _()/N_(), or mark `# i18n-keep: <why>`:\n" + "\n".join(
        offenders
    )


def test_the_scan_finds_what_it_should(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""文档不算。"""\n'
        'SHOWN = "未翻译"\n'
        'OK = _("已翻译")\n'
        'LABELS = {"a": N_("标记")}\n'
        'PATTERN = re.compile(r"\\d+件")\n'
        'WORD = "件"  # i18n-keep: grammar\n'
        "# i18n-keep: the next statement is data\n"
        'DATA = ("甲", "乙")\n'
        'LATER = f"{OK}：{SHOWN}"\n',
        encoding="utf-8",
    )
    assert [text for _line, text in unmarked_chinese(sample)] == ["未翻译", "："]


def test_placeholders_in_every_translation_match_the_source(english_po: Catalog) -> None:
    wrong = []
    for message in english_po:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        for text in [*ids[1:], *_forms(message)]:  # the plural msgid and every form
            if text and _fields(ids[0]) != _fields(text):
                wrong.append(f"{ids[0]!r} → {text!r}")
    assert wrong == []


def _shapes(catalog: Catalog) -> dict[str, object]:
    """Catalogue key → msgid (a tuple for a plural message)."""
    return {key: message.id for key, message in _entries(catalog).items()}


def test_the_catalogue_files_are_up_to_date_with_the_code(english_po: Catalog) -> None:
    # A changed or removed message shows up here before it shows up untranslated.
    code = _shapes(template())
    hint = "run `uv run python scripts/i18n_extract.py`"
    assert _shapes(read_catalogue(LOCALE_DIR / "tuan.pot")) == code, hint
    assert _shapes(english_po) == code, hint


def _hashable(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def test_the_compiled_catalogue_is_up_to_date_with_the_po_file(english_po: Catalog) -> None:
    def read(data: bytes) -> dict[object, object]:
        found = read_mo(io.BytesIO(data))
        return {(_hashable(m.id), m.context): _hashable(m.string) for m in found if m.id}

    committed = read(ENGLISH_PO.with_suffix(".mo").read_bytes())
    assert committed == read(compiled(english_po)), (
        "tuan.mo is not the compiled tuan.po: run `uv run python scripts/i18n_extract.py` "
        "and commit tuan.mo"
    )
    assert len(committed) > 1000


def test_a_msgid_is_either_plain_or_plural_everywhere(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text(
        'x = _("{n} 单")\ny = ngettext("{n} 单", "{n} 单", 2)\n', encoding="utf-8"
    )
    with pytest.raises(ValueError, match="one msgid, two shapes"):
        template(package)


def test_the_extractor_reads_every_marker_and_translator_comments(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text(
        "# Translators: the button on the order form\n"
        'SAVE = _("保存")\n'
        'LABEL = NP_("area", "海报")\n'
        "shown = f\"{_('甲')} {pgettext('menu', '乙')}\"\n"
        'count = ngettext("{n} 单", "{n} 单", 2)\n'
        'places = npgettext("where", "{n} 处", "{n} 处", 2)\n'
        "skipped = _(variable)\n",
        encoding="utf-8",
    )
    found = {catalogue_key(m.id, m.context): m for m in template(package) if m.id}
    assert set(found) == {
        "保存",
        "area\x04海报",
        "甲",
        "menu\x04乙",
        "{n} 单",
        "where\x04{n} 处",
    }
    assert found["保存"].auto_comments == ["the button on the order form"]
    assert found["保存"].locations == [("pkg/a.py", 2)]
    assert found["{n} 单"].id == ("{n} 单", "{n} 单")
    assert found["where\x04{n} 处"].pluralizable


@pytest.mark.parametrize(
    ("environment", "explicit", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, None, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, None, "zh"),
        ({"LANG": "en_US.UTF-8"}, None, "en"),
        ({"LANG": "de_DE.UTF-8"}, None, "en"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, None, "en"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, None, "zh"),
        ({"LANG": "C.UTF-8"}, None, "zh"),
        ({}, None, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "en", "en"),
        ({"LANG": "en_US.UTF-8"}, "zh", "zh"),
        ({"LANG": "en_US.UTF-8", "TUAN_LANG": "zh"}, None, "zh"),
        ({"LANG": "zh_CN.UTF-8", "TUAN_LANG": "en"}, None, "en"),
        ({"LANG": "zh_CN.UTF-8", "TUAN_LANG": "zh"}, "en", "en"),
    ],
)
def test_language_follows_lang_option_then_tuan_lang_then_the_locale(
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    explicit: str | None,
    expected: str,
) -> None:
    for name in ("TUAN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert detect_language(explicit) == expected


def test_english_translates_and_chinese_is_the_source(english: None) -> None:
    assert i18n.language() == "en"
    assert i18n._("还剩 {t}").format(t="2d 3h") == "2d 3h left"
    assert i18n.pgettext("area", "海报") == "Partners"
    set_language("zh")
    assert i18n._("还剩 {t}") == "还剩 {t}"
    assert i18n.pgettext("area", "海报") == "海报"


def test_english_counts_take_the_singular_for_one(english: None) -> None:
    one, two = (i18n.ngettext("{n} 单", "{n} 单", n).format(n=n) for n in (1, 2))
    assert (one, two) == ("1 order", "2 orders")
    assert i18n.ngettext("{n} 单", "{n} 单", 0).format(n=0) == "0 orders"
    assert i18n.ngettext("没有这句", "没有这句们", 2) == "没有这句们"  # untranslated: the source
    assert i18n._("") == ""  # not the catalogue's header
    set_language("zh")
    assert i18n.ngettext("{n} 单", "{n} 单", 1).format(n=1) == "1 单"


CHAIN_TEXT = "#接龙\n{title}\n\nA. 冷榨橄榄油 500ml ¥89\n\n截止：12月8日 周二 20:00\n\n{entries}\n"


def test_the_english_command_line_says_1_order_and_2_orders(tmp_path: Path, english: None) -> None:
    from tuan.cli import app

    runner = CliRunner()
    database = str(tmp_path / "counts.db")
    for title, entries in (
        ("一单团", "1. 王阿姨 3-1202 橄榄油×1"),
        ("两单团", "1. 王阿姨 3-1202 橄榄油×1\n2. 李大爷 6-904 橄榄油×2"),
    ):
        text = tmp_path / f"{title}.txt"
        text.write_text(CHAIN_TEXT.format(title=title, entries=entries), encoding="utf-8")
        imported = runner.invoke(
            app, ["--lang", "en", "--db", database, "chain", "import", str(text), "-y"]
        )
        assert imported.exit_code == 0, imported.output
    listed = runner.invoke(app, ["--lang", "en", "--db", database, "chain", "list"])
    assert listed.exit_code == 0, listed.output
    rows = {line.split()[-1]: line for line in listed.output.splitlines()}
    assert " 1 order " in rows["一单团"], listed.output
    assert " 2 orders " in rows["两单团"], listed.output
    members = runner.invoke(app, ["--lang", "en", "--db", database, "member", "list"])
    assert sorted(line.split("  ")[-1] for line in members.output.splitlines()[:2]) == [
        "1 order",
        "2 orders",
    ], members.output


def test_english_is_read_from_the_compiled_catalogue_without_babel() -> None:
    code = (
        "import sys\nfrom tuan import i18n\ni18n.set_language('en')\n"
        "assert i18n.ngettext('{n} 单', '{n} 单', 1) == '{n} order'\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'babel'], 'Babel at run time'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def _run_tuan(*args: str, lang_env: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TUAN_LANG", "LC_ALL", "LANG")}
    env["LANG"] = "zh_CN.UTF-8"
    if lang_env:
        env["TUAN_LANG"] = lang_env
    return subprocess.run(
        [sys.executable, "-m", "tuan.launcher", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=ROOT,
    )


def test_cli_help_is_english_with_lang_en() -> None:
    result = _run_tuan("--lang", "en", "--help")
    assert result.returncode == 0, result.stderr
    assert "the terminal cockpit for community group-buy leaders" in result.stdout
    assert "Chains: list, export the chain text" in result.stdout
    assert not CJK.search(result.stdout.replace("绿源生活", ""))


def test_cli_help_follows_tuan_lang_and_stays_chinese_by_default() -> None:
    english = _run_tuan("chain", "export", "--help", lang_env="en")
    assert "Print the chain text (starting with #接龙)" in english.stdout
    chinese = _run_tuan("chain", "export", "--help")
    assert "打印接龙文字" in chinese.stdout


# Chinese that English help may quote: product words of the chain text and the demo's brand.
QUOTED = ("#接龙", "绿源生活", "快团团", "今天", "明天", "周三")


def test_every_command_and_option_has_english_help() -> None:
    code = """
import json, typer
from tuan.i18n import set_language
set_language("en")
from tuan.cli import app
texts = {}
def walk(command, path):
    texts[path] = command.help or ""
    for param in command.params:
        texts[f"{path} {param.name}"] = getattr(param, "help", "") or ""
    for name, sub in getattr(command, "commands", {}).items():
        walk(sub, f"{path} {name}")
walk(typer.main.get_command(app), "tuan")
print(json.dumps(texts))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    texts = json.loads(result.stdout)
    assert len(texts) > 80
    chinese = {}
    for where, text in texts.items():
        for word in QUOTED:
            text = text.replace(word, "")
        if CJK.search(text):
            chinese[where] = text
    assert chinese == {}


def test_the_exported_chain_text_stays_chinese_in_english(demo_db, english: None) -> None:
    from tuan.domain.chains.export import export_chain

    with demo_db.session() as session:
        in_english = export_chain(session, 72).text
    set_language("zh")
    with demo_db.session() as session:
        in_chinese = export_chain(session, 72).text
    assert in_english == in_chinese
    lines = in_english.splitlines()
    assert lines[0] == "#接龙"
    assert any(line.startswith("截止：11月28日 周六 20:00") for line in lines)
    assert any(line.startswith("例：1. ") for line in lines)


def test_times_on_screen_follow_the_language_chain_times_do_not(english: None) -> None:
    from datetime import datetime

    from tuan import clock
    from tuan.domain.shared.timefmt import long_datetime, short_datetime, time_left, zh_datetime

    moment = datetime(2026, 11, 28, 20, 0, tzinfo=clock.now().tzinfo)
    assert long_datetime(moment) == "Nov 28 Sat 20:00"
    assert short_datetime(moment) == "11-28 Sat 20:00"
    assert time_left(moment) == "2d 10h left"
    assert zh_datetime(moment) == "11月28日 周六 20:00"
    set_language("zh")
    assert long_datetime(moment) == "11月28日 周六 20:00"
    assert time_left(moment) == "还剩 2天10小时"


def test_every_screen_translates_its_keys_when_shown() -> None:
    import importlib
    import pkgutil

    from textual.screen import Screen

    import tuan.tui
    from tuan.tui.shared.translated import TranslatedBindings

    for info in pkgutil.walk_packages(tuan.tui.__path__, "tuan.tui."):
        importlib.import_module(info.name)

    def subclasses(cls: type) -> Iterator[type]:
        found: list[type] = cls.__subclasses__()
        for sub in found:
            yield sub
            yield from subclasses(sub)

    ours = {c for c in subclasses(Screen) if c.__module__.startswith("tuan.")}
    assert len(ours) > 20
    assert [c.__name__ for c in ours if not issubclass(c, TranslatedBindings)] == []


async def test_footer_and_help_show_english_keys_in_english(demo_path: Path, english: None) -> None:
    from textual.widgets import Markdown

    from tuan.tui.app import TuanApp
    from tuan.tui.shared.key_bar import KeyBar

    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        wanted = {"Reminder inbox", "Chains", "Quit", "Help"}
        bar = app.screen.query_one(KeyBar)
        await until(pilot, lambda: wanted <= {k.description for k in bar.shown_keys()})
        assert "palette" in {k.description for k in bar.shown_keys()}
        await pilot.press("question_mark")
        await until(pilot, lambda: bool(app.screen.query(Markdown)))
        help_text = app.screen.query_one(Markdown).source
        assert "## Keys" in help_text
        assert "5 Members" in help_text and "6 Partners" in help_text
        assert not CJK.search(help_text.split("## Keys")[1])


def test_what_english_forms_prefill_reads_back(db, english: None) -> None:
    from datetime import date

    from tuan.domain.members.points import format_levels, levels, parse_levels
    from tuan.domain.members.reminders import parse_due
    from tuan.domain.members.rule_settings import parse_weekday
    from tuan.domain.shared.timefmt import WEEKDAYS

    today = date(2026, 11, 26)  # a Thursday
    assert parse_due(i18n._("明天"), today) == date(2026, 11, 27)
    assert parse_due("today", today) == today
    assert parse_due("next wed", today) == date(2026, 12, 9)
    assert parse_weekday(i18n._(WEEKDAYS[2])) == 2
    assert i18n._(WEEKDAYS[2]) == "Wed"
    with db.session() as session:
        shown = format_levels(levels(session))  # the points settings form's text
    assert shown == "Regular:0, Silver:500, Gold:2000, Diamond:5000"
    assert [level.name for level in parse_levels(shown)] == ["Regular", "Silver", "Gold", "Diamond"]
