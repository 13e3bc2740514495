"""Why a file could not be read or written, in the leader's words (never the OS's English)."""

from __future__ import annotations

import errno

from tuan.i18n import _


def os_problem(error: OSError | UnicodeDecodeError) -> str:
    """The reason and what to do, for a failed read or write."""
    if isinstance(error, UnicodeDecodeError):
        return _("不是 UTF-8 编码的文字，请另存为 UTF-8 文本")
    reasons = {
        FileNotFoundError: _("文件或文件夹不存在，请检查路径"),
        PermissionError: _(
            "没有权限，请换一个位置，或先关掉正在打开这个文件的程序（如 Excel、WPS）"
        ),
        IsADirectoryError: _("这是一个文件夹，请写文件名"),
        NotADirectoryError: _("路径中有一段不是文件夹，请检查路径"),
    }
    for kind, reason in reasons.items():
        if isinstance(error, kind):
            return reason
    if error.errno == errno.ENOSPC:
        return _("磁盘满了，请腾出空间或换一个磁盘")
    if error.errno == errno.EROFS:
        return _("这个位置只能读不能写，请换一个文件夹")
    return _("写入或读取出错（代码 {code}），请换一个路径").format(code=error.errno or "?")
