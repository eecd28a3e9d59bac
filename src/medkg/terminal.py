"""Text shown in a terminal or a log, written so that it cannot forge a line or drive the
terminal: article text and file names are data, whatever characters they hold."""

from __future__ import annotations

import re

__all__ = ["printable"]

# What could forge a line or drive a terminal: C0 and C1 controls (newline, ESC, CSI), line and
# paragraph separators, bidi controls (U+202E turns the text after it around), and the
# surrogates that stand for the undecodable bytes of a file name.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def printable(text: str) -> str:
    """``text`` with each character that could forge a line or drive the terminal written as
    its Python escape (``\\n``, ``\\x1b``, ``\\u202e``). Every message the command line and the
    server's log print goes through here; csv, json and the exports keep text as it is.

    >>> printable("bone\\x1b[31m pain\\n")
    'bone\\\\x1b[31m pain\\\\n'
    """
    return _UNPRINTABLE.sub(lambda match: repr(match.group())[1:-1], text)
