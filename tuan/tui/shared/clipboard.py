"""Copying text out of the app: one way for every screen.

`App.copy_to_clipboard` sends OSC 52 to the terminal, which says nothing back (macOS Terminal
ignores it; tmux needs `set-clipboard on`), so pyperclip also tries the system clipboard where
there is one. Neither is guaranteed: screens that copy also show the text or offer it as a file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App


def copy_text(app: App[Any], text: str, message: str = "") -> bool:
    """Put `text` on the clipboard (main thread) and say `message`, when given, as a notification.

    Returns:
        Whether the system clipboard was reached too (False where there is none: SSH, CI).
    """
    app.copy_to_clipboard(text)
    try:
        import pyperclip

        pyperclip.copy(text)
        reached = True
    except Exception:  # pyperclip raises its own errors, or OSError, when no clipboard exists
        reached = False
    if message:
        app.notify(message)
    return reached
