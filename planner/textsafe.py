"""Text from catalogs, plan files and batch rows made safe for where it lands: a spreadsheet cell,
one line of Markdown, iCalendar or a terminal. Names may come from anyone's file."""

from __future__ import annotations

import re

# C0 and C1 control characters (ESC starts ANSI sequences), DEL, and the Unicode line and
# paragraph separators; tab is kept apart since some targets allow it.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# A whole terminal escape sequence (CSI such as colours and cursor moves, OSC such as a window
# title, or a two-character escape), so that no remnant of it is left behind either.
_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]"
)
_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\u2028\u2029]+")
# A leading character that makes Excel, LibreOffice or Google Sheets read a cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def one_line(text: str) -> str:
    """``text`` on one line: line breaks and tabs become spaces; escape sequences and other control
    characters go."""
    return _CONTROL.sub("", _BREAKS.sub(" ", _ESCAPE.sub("", text))).strip()


def terminal(text: str) -> str:
    """``text`` for a terminal: no escape sequences or control characters, line breaks kept."""
    text = _ESCAPE.sub("", text).replace("\r", "")
    return "\n".join(_CONTROL.sub("", line) for line in text.split("\n"))


def spreadsheet_cell(text: str) -> str:
    """``text`` as a spreadsheet shows it and never runs it: a value that would start a formula gets
    a leading apostrophe (the OWASP advice for CSV injection)."""
    text = one_line(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


# Characters Markdown (CommonMark and GitHub's tables) or inline HTML would read as syntax: a
# backslash escape makes each one plain text.
_MARKDOWN_SYNTAX = re.compile(r"[\\`*\[\]<>|#&~]")
# An underscore between two letters or digits never starts or ends emphasis; any other one may.
_LOOSE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")


def markdown(text: str) -> str:
    """``text`` as plain Markdown text on one line: it cannot open a tag, a heading, a link, a code
    span or emphasis, nor end a table cell; control characters (ANSI escapes) go."""
    text = _MARKDOWN_SYNTAX.sub(lambda m: "\\" + m.group(), one_line(text))
    return _LOOSE_UNDERSCORE.sub(r"\\_", text)
