"""Text files as leaders have them: Notepad's GBK, UTF-8 with a BOM, UTF-16, Windows line ends."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tuan.domain.shared.text_files import TextFileError, decode_text, read_text_file

CHAIN = (
    "#接龙\n"
    "绿源生活｜第3期 冷榨油团\n"
    "A. 冷榨橄榄油 500ml ¥89（原价¥128）每人限3\n"
    "截止：11月28日 周六 20:00\n"
    "例：1. 王阿姨 3-1202 套装×1\n"
    "\n"
    "1. 王阿姨 3-1202 套装×1\n"
    "2. 🌸Lily 12号楼1103 橄榄油×2（周六取）\n"
    "3. 小李 5-601 亚麻籽油２瓶，谢谢团长！\n"
)
# Characters GBK lacks (CJK Extension B, a rare surname character, a Yi syllable): GB18030 has
# them as four-byte sequences.
BEYOND_GBK = "4. 𠮷野家 7-101 橄榄油×1\n5. 䶮哥 2-303 套装×1\n6. ꆈꌠ 1-101 套装×1\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("gbk", b""),
        ("gb18030", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_encoding_and_line_ending_reads_the_same_text(
    tmp_path: Path, encoding: str, prefix: bytes, newline: str
) -> None:
    # GBK has no emoji and only the full-width ￥
    text = CHAIN.replace("🌸", "").replace("¥", "￥") if encoding == "gbk" else CHAIN
    data = prefix + text.replace("\n", newline).encode(encoding)
    assert read_text_file(write(tmp_path, "接龙.txt", data)) == text


def test_gb18030_beyond_gbk(tmp_path: Path) -> None:
    text = CHAIN + BEYOND_GBK
    with pytest.raises(UnicodeEncodeError):
        BEYOND_GBK.encode("gbk")
    path = write(tmp_path, "接龙.txt", text.replace("\n", "\r\n").encode("gb18030"))
    assert read_text_file(path) == text


def test_a_copy_cut_in_the_middle_of_a_character_keeps_what_came_before(tmp_path: Path) -> None:
    data = CHAIN.encode("utf-8") + "套".encode()[:2]
    assert read_text_file(write(tmp_path, "接龙.txt", data)) == CHAIN


def test_a_path_with_a_tilde_and_a_string_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    write(tmp_path, "接龙.txt", CHAIN.encode("gbk", errors="ignore"))
    assert read_text_file("~/接龙.txt").startswith("#接龙\n绿源生活")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",  # a screenshot of the chain
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01",  # a photo
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",  # a .docx or .xlsx
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        "王阿姨 套装×1".encode() + b"\x00\x00\x01\x02",  # text with NUL bytes in it
        bytes(range(1, 32)) * 4 + "王阿姨".encode(),  # control characters, no NUL
    ],
)
def test_binary_files_are_refused_in_chinese(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "接龙.txt", data)
    with pytest.raises(TextFileError) as refused:
        read_text_file(path)
    assert refused.value.code == "file.binary"
    assert str(refused.value).startswith(f"读不了文件 {path}：这不是文字文件")


def test_bytes_in_no_known_encoding_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "接龙.txt", b"\xff\xfe\x00\x81 not text")  # a UTF-16 mark, odd length
    with pytest.raises(TextFileError) as refused:
        read_text_file(path)
    assert refused.value.code == "file.encoding"
    assert "认不出文字的编码" in str(refused.value)


def test_a_missing_file_says_so_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(TextFileError) as refused:
        read_text_file(tmp_path / "没有.txt")
    assert refused.value.code == "file.unreadable"
    assert "读不了文件" in str(refused.value) and "不存在" in str(refused.value)
    with pytest.raises(TextFileError):
        read_text_file(tmp_path)  # a folder


def test_a_few_stray_control_characters_do_not_make_text_binary() -> None:
    text = CHAIN * 3 + "\x07\x1b"
    assert decode_text(text.encode()) == text


def test_decode_text_names_its_source() -> None:
    with pytest.raises(TextFileError, match="标准输入"):
        decode_text(b"\x00\x01", "标准输入")
