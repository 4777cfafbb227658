"""One place that makes user text safe for where it is going.

Rubric files are written by people the reader of a report may not trust (a pull request
from a stranger changes a rubric; CI renders it and posts the result). Any text from a
rubric — titles, ids, assessor names, notes, file names — can hold characters that mean
something to the destination: an escape sequence that retitles the terminal or hides
lines, a newline that forges a ``::error`` workflow command, a ``"`` that ends an XML
attribute, a ``=`` that a spreadsheet runs as a formula, an ``@name`` that pings someone
from a pull-request comment. Each destination has one function here; every renderer
and the CLI go through them instead of escaping on their own.

The functions are pure (str → str), know nothing of Click or of any output format's
renderer, and leave ordinary text unchanged, so output that was fine stays byte for
byte the same. docs/robustness.md lists what is promised and the test of each promise.
"""

from __future__ import annotations

import re

__all__ = [
    "BIDI_CONTROLS",
    "csv_cell",
    "csv_uncell",
    "github_data",
    "github_line",
    "github_property",
    "has_lone_surrogate",
    "line",
    "markdown",
    "markdown_cell",
    "terminal",
    "xml_attribute",
    "xml_legal",
    "xml_text",
]

#: Invisible characters that reorder the text around them (Trojan Source, CVE-2021-42574).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# C0 controls except TAB and LF, DEL, C1 controls, bidi controls, lone surrogates, and the
# line and paragraph separators (which some terminals and editors break lines at).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + BIDI_CONTROLS + "]")
# The same plus TAB and LF: for text that must stay on one line.
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + BIDI_CONTROLS + "]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """Text for a terminal or a log, over several lines: control characters (ESC, CR,
    BEL, C1), bidi overrides and lone surrogates become visible escapes (``\\x1b``,
    ``\\r``, ``\\u202e``); LF and TAB are kept."""
    if text.isascii() and text.isprintable():
        return text
    return _UNSAFE.sub(_visible, text)


def line(text: str) -> str:
    """Like :func:`terminal`, for text that must stay on one line (a field inside a
    ``FILE:LINE: CODE message`` line): LF and TAB are escaped too."""
    if text.isascii() and text.isprintable():
        return text
    return _UNSAFE_LINE.sub(_visible, text)


def has_lone_surrogate(text: str) -> bool:
    """True when ``text`` holds a surrogate code point, which no UTF-8 output can encode."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


#: What GitHub, GitLab and CommonMark CMSs read as inline syntax. Parentheses, braces,
#: ``+``, ``!`` and ``#`` are not escaped: ``(`` is a link only after ``]`` (escaped
#: here), the others only at the start of a line, which user text never is; a stray
#: backslash before them shows in renderers that do not read every escape.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
#: A heading's closing ``#`` sequence ("Promise #") would be eaten by the renderer.
_TRAILING_HASH = re.compile(r"(#+)$")
# an @ that GitHub would read as a mention: not inside a word or an e-mail address
_MENTION = re.compile(r"(?<![\w.+-])@(?=[A-Za-z0-9])")


def markdown(text: str) -> str:
    """Inline Markdown text (GitHub-flavoured), on one line: Markdown punctuation and
    HTML escaped, runs of whitespace (newlines too) made one space, other controls made
    visible, and ``@name`` / ``@org/team`` mentions neutralised with a zero-width space
    (``@&#8203;name``), so a rubric cannot ping people from a pull-request comment."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))
    text = _TRAILING_HASH.sub(lambda m: "\\#" * len(m.group(1)), line(" ".join(text.split())))
    return _MENTION.sub("@&#8203;", text)


def markdown_cell(text: str) -> str:
    """A Markdown table cell that keeps ordinary punctuation as written: ``\\`` and
    ``|`` escaped, HTML tags defused (``&lt;``), newlines made spaces, other controls
    made visible and ``@mentions`` neutralised. (:func:`markdown` escapes more.)"""
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
    text = line(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
    return _MENTION.sub("@&#8203;", text)


def github_data(text: str) -> str:
    """The message of a GitHub Actions workflow command: ``%``, CR and LF encoded (so
    nothing in it can start a new command), other controls made visible."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return line(text)


def github_property(text: str) -> str:
    """A workflow command property (``file=``, ``title=``): also ``:`` and ``,``."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


_COMMAND_START = re.compile(r"^(\s*)(::|##\[)", re.MULTILINE)


def github_line(text: str) -> str:
    """A plain line in a GitHub Actions log: kept on one line, and a line that would
    start with ``::`` or ``##[`` (which the runner reads as a command) is defused."""
    text = line(text)
    return _COMMAND_START.sub(lambda m: m.group(1) + m.group(2).replace(":", "%3A"), text)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "'", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(text: str) -> str:
    """A cell of a CSV file that spreadsheets will open: a cell that starts with a
    formula character (``= + - @``, TAB, CR, LF, their full-width forms) is prefixed with
    ``'`` so it stays text (OWASP "CSV injection"). A cell that already starts with
    ``'`` is prefixed too, so :func:`csv_uncell` gives back exactly the original. Apply
    it to text, not to numbers the program wrote (``-1.5`` would become text)."""
    if text and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_uncell(text: str) -> str:
    """The inverse of :func:`csv_cell`: drop the one ``'`` it added."""
    if len(text) >= 2 and text[0] == "'" and text[1:].startswith(_FORMULA_START):
        return text[1:]
    return text


# Characters XML 1.0 cannot hold at all, even escaped.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_XML_SPECIAL = re.compile("[&<>\"']")


def xml_legal(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (shown as ``\\xNN`` instead), for
    XML written by a library that escapes markup itself (ElementTree)."""
    return _XML_ILLEGAL.sub(_visible, text)


def xml_text(text: str) -> str:
    """Character data of an XML, SVG or HTML element: ``& < >`` (and quotes) escaped,
    characters XML forbids shown as ``\\xNN``."""
    return _XML_SPECIAL.sub(lambda m: _XML_ESCAPES[m.group()], xml_legal(text))


def xml_attribute(text: str) -> str:
    """An XML, SVG or HTML attribute value in double or single quotes: like
    :func:`xml_text`, and TAB, LF and CR as character references (an attribute value's
    whitespace is otherwise normalised to spaces)."""
    text = xml_text(text)
    return text.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
