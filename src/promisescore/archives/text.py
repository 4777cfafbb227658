"""The text of an archived copy, and the normalisation quotes are compared under.

FORMAT.md §8.9: both sides are compared after Unicode NFKC, typographic quotes,
apostrophes and dashes folded to their ASCII forms and every run of whitespace made one
space; case is kept. HTML is compared on its visible text (no tags, no script or style
content), plain text as it is, PDF through the optional ``pdf`` extra (pypdf).

Extraction keeps, for each character of the text, where it came from (a line of a text
or HTML file, a page of a PDF), so that a failed quote can name the line of the closest
passage.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from html.parser import HTMLParser

import attrs

#: Typographic quotes, apostrophes and dashes → their ASCII forms (applied after NFKC).
FOLD: dict[int, str] = {
    **dict.fromkeys(map(ord, "‘’‚‛′‵ʼʹ`´"), "'"),
    **dict.fromkeys(map(ord, "“”„‟″‶«»"), '"'),
    **dict.fromkeys(map(ord, "‐‑‒–—―⁃−﹘﹣－"), "-"),
}
_WHITESPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """``text`` as quotes are compared: NFKC, typographic quotes, apostrophes and dashes
    folded to ASCII, every whitespace run one space, no space at either end. Idempotent."""
    folded = unicodedata.normalize("NFKC", text).translate(FOLD)
    return _WHITESPACE.sub(" ", folded).strip()


class ArchiveTextError(ValueError):
    """The archived bytes cannot be read as text (encoding, PDF without the extra)."""


@attrs.frozen
class Located:
    """Text with the origin of its pieces: ``starts[i]`` is where piece ``i`` begins in
    ``text`` and ``places[i]`` its line (or page, for a PDF)."""

    text: str
    starts: tuple[int, ...]
    places: tuple[int, ...]
    #: What a place is: ``line`` or ``page``.
    unit: str = "line"

    def place(self, offset: int) -> int | None:
        """The line (or page) of the character at ``offset``."""
        if not self.starts:
            return None
        return self.places[max(0, bisect_right(self.starts, offset) - 1)]


def normalize_located(located: Located) -> Located:
    """:func:`normalize` applied piece by piece, keeping each piece's place.

    The pieces are joined as the whole text would be normalised: a whitespace run
    spanning pieces becomes one space, and the result equals ``normalize(located.text)``
    (checked: when a piece boundary falls inside a sequence NFKC composes, the places
    are dropped and the whole text is normalised at once)."""
    pieces: list[str] = []
    starts: list[int] = []
    places: list[int] = []
    length = 0
    bounds = [*located.starts, len(located.text)]
    pending_space = False
    for index, place in enumerate(located.places):
        raw = located.text[bounds[index] : bounds[index + 1]]
        folded = _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", raw).translate(FOLD))
        if not folded:
            continue
        if folded.startswith(" "):
            pending_space = True
            folded = folded.lstrip(" ")
        if not folded:
            continue
        if pending_space and length:
            pieces.append(" ")
            length += 1
        pending_space = folded.endswith(" ")
        folded = folded.rstrip(" ")
        starts.append(length)
        places.append(place)
        pieces.append(folded)
        length += len(folded)
    text = "".join(pieces)
    whole = normalize(located.text)
    if text != whole:  # a composition across pieces: exact text, coarser places
        return Located(whole, (0,), (located.places[0] if located.places else 1,), located.unit)
    return Located(text, tuple(starts), tuple(places), located.unit)


# --------------------------------------------------------------------------- extraction

#: Elements whose content is not shown.
HIDDEN = frozenset({"script", "style", "template"})
#: Elements that start a new line when shown (their text never runs into a neighbour's).
BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div",
        "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
        "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
    }
)  # fmt: skip


class _Visible(HTMLParser):
    """Collects the visible text of an HTML document with the line of each piece."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.places: list[int] = []
        self.hidden = 0

    def _add(self, text: str) -> None:
        self.pieces.append(text)
        self.places.append(self.getpos()[0])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self._add("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self._add("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self._add("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self._add(data)


def _located(pieces: list[str], places: list[int], unit: str = "line") -> Located:
    starts: list[int] = []
    offset = 0
    for piece in pieces:
        starts.append(offset)
        offset += len(piece)
    return Located("".join(pieces), tuple(starts), tuple(places), unit)


def html_text(source: str) -> Located:
    """The visible text of an HTML document: no tags, comments, script or style content;
    entities decoded; block elements separated by a line break."""
    parser = _Visible()
    parser.feed(source)
    parser.close()
    return _located(parser.pieces, parser.places)


def plain_text(source: str) -> Located:
    """A text file as it is, by line."""
    lines = source.splitlines(keepends=True) or [""]
    return _located(lines, list(range(1, len(lines) + 1)))


def pdf_text(data: bytes) -> Located:
    """The text of a PDF, by page, through pypdf (``pip install promisescore[pdf]``)."""
    try:
        import pypdf  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise ArchiveTextError(
            "a PDF archive needs the pdf extra: pip install 'promisescore[pdf]' (pypdf)"
        ) from None
    import io

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        pages = [(page.extract_text() or "") + "\n" for page in reader.pages]
    except Exception as exc:  # pypdf raises many types on a damaged file
        raise ArchiveTextError(f"cannot read the PDF: {exc}") from None
    return _located(pages, list(range(1, len(pages) + 1)), "page")


#: File name endings read as HTML.
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


def kind_of(name: str, data: bytes) -> str:
    """``pdf``, ``html`` or ``text``: by the name's ending, else by the first bytes."""
    lower = name.lower()
    if lower.endswith(".pdf") or data.startswith(b"%PDF-"):
        return "pdf"
    if lower.endswith(HTML_SUFFIXES):
        return "html"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def archived_text(name: str, data: bytes) -> Located:
    """The comparable text of an archived file's bytes (not yet normalised)."""
    kind = kind_of(name, data)
    if kind == "pdf":
        return pdf_text(data)
    if kind == "html":
        return html_text(decode_html(data))
    encoding = _bom(data)
    try:
        source = data.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArchiveTextError(
            f"not valid {'UTF-16' if encoding else 'UTF-8'} (byte {exc.start}); "
            "save the archived copy as UTF-8"
        ) from None
    return plain_text(source)


#: How far into an HTML file a ``<meta charset>`` is looked for (as browsers do, about
#: the first kilobytes).
CHARSET_PREFIX = 4096
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset[ \t\r\n\f]*=[ \t\r\n\f]*["']?[ \t\r\n\f]*([-\w.:+]+)""",
    re.IGNORECASE,
)
#: Labels read, as browsers read them (the WHATWG Encoding Standard), as another codec
#: than Python's of that name: a page declared ISO-8859-1 or ASCII with curly quotes in
#: it shows them (windows-1252); a meta tag, read as ASCII, cannot truly name UTF-16.
_AS_BROWSERS: dict[str, str] = {
    **dict.fromkeys(
        (
            "ansi_x3.4-1968", "ascii", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
            "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1",
            "latin1", "us-ascii", "x-cp1252",
        ),
        "cp1252",
    ),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "iso88599", "latin5", "l5"), "cp1254"),
    **dict.fromkeys(("windows-874", "tis-620", "iso-8859-11", "iso8859-11"), "cp874"),
    **dict.fromkeys(("gb2312", "x-gbk", "csgb2312", "chinese"), "gbk"),
    **dict.fromkeys(("iso-8859-8-i", "csiso88598i"), "iso8859-8"),
    "x-mac-cyrillic": "mac-cyrillic",
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be", "unicode"), "utf-8"),
}  # fmt: skip
#: The Python codecs of the encodings web pages are written in (the WHATWG list); a
#: label naming any other codec (``rot13``, ``unicode_escape``) names no page's encoding.
_WEB_CODECS = frozenset(
    {
        "utf-8", "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6",
        "iso8859-7", "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15",
        "iso8859-16", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "cp1250",
        "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
        "gbk", "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr",
    }
)  # fmt: skip


def _codec(label: str) -> str | None:
    """The Python codec a page's encoding label means, or ``None`` when it names no
    encoding web pages are written in."""
    import codecs

    if label in _AS_BROWSERS:
        return _AS_BROWSERS[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return name if name in _WEB_CODECS else None


def _bom(data: bytes) -> str | None:
    """The encoding a byte-order mark names (``utf-8-sig``, ``utf-16``), if any."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return None


def html_charset(data: bytes) -> str | None:
    """The encoding label a ``<meta charset=...>`` or ``<meta http-equiv="Content-Type"
    content="...; charset=...">`` in the first :data:`CHARSET_PREFIX` bytes names."""
    match = _META_CHARSET.search(data[:CHARSET_PREFIX])
    return match.group(1).decode("ascii", "replace").lower() if match else None


def decode_html(data: bytes) -> str:
    """An HTML file's text: by its byte-order mark, else by the encoding its ``<meta
    charset>`` names (as browsers read the label: ISO-8859-1 and ASCII as
    windows-1252), else as UTF-8. A label that names no encoding web pages are written
    in is read as UTF-8 too. Raises :class:`ArchiveTextError` when the bytes are not
    valid in the encoding chosen, naming it (and an unknown label)."""
    bom = _bom(data)
    label = None if bom else html_charset(data)
    encoding, unknown = bom or "utf-8", None
    if label is not None:
        codec = _codec(label)
        if codec is None:
            unknown = label
        else:
            encoding = codec
    try:
        return data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        name = _NAMES.get(encoding, encoding)
        if unknown is not None:
            why = (
                f": its <meta charset> names {unknown!r}, an encoding not known here, and "
                "UTF-8 is read instead"
            )
        elif encoding != "utf-8":
            why = f", the encoding its {'byte-order mark' if bom else '<meta charset>'} names"
        else:
            why = ", and no <meta charset> names another encoding"
        raise ArchiveTextError(
            f"not valid {name} (byte {exc.start}){why}; save the archived copy as UTF-8"
        ) from None


_NAMES = {"cp1252": "windows-1252", "utf-8-sig": "UTF-8", "utf-8": "UTF-8", "utf-16": "UTF-16"}


# --------------------------------------------------------------------------- finding


#: The most characters of context a closest passage shows on either side of the
#: window of the quote's length it was found in.
CONTEXT = 80
#: A quote mark (after :func:`normalize`, every typographic one is one of these).
_QUOTE_MARKS = "\"'"


def closest(quote: str, text: str) -> tuple[int, str]:
    """Where in (normalised) ``text`` the passage most like (normalised) ``quote``
    starts, and that passage: the part of the best window of the quote's length (scored
    by difflib) and of its surroundings that matches the quote, widened to whole words.

    Bounded: at most :data:`CONTEXT` characters on either side of the window, so at most
    the quote's length plus ``2 * CONTEXT``; where the bound cuts a word (or a text
    without spaces), ``…`` marks the cut. Quote marks at either end that the quote does
    not have there are left out (the passage is shown between quotes)."""
    from difflib import SequenceMatcher

    if not text or not quote:
        return 0, text[: len(quote)]
    size = len(quote)
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(quote)
    # candidate windows: around every match of a block of the quote's words
    words = quote.split(" ")
    starts: set[int] = set()
    for i in range(0, len(words), max(1, len(words) // 8)):
        probe = " ".join(words[i : i + 3])
        if len(probe) < 3:
            continue
        at = text.find(probe)
        count = 0
        while at >= 0 and count < 20:
            prefix = len(" ".join(words[:i])) + (1 if i else 0)
            starts.add(max(0, at - prefix))
            at = text.find(probe, at + 1)
            count += 1
    if not starts:
        step = max(1, size // 4)
        starts = set(range(0, max(1, len(text) - size + 1), step))
        if len(starts) > 2000:  # bounded: a huge text gets evenly spaced windows
            stride = len(starts) // 2000 + 1
            starts = set(sorted(starts)[::stride])
    best, best_at = -1.0, 0
    for start in sorted(starts):
        matcher.set_seq1(text[start : start + size])
        ratio = matcher.ratio()
        if ratio > best:
            best, best_at = ratio, start
    # align: the span of the region around the best window that matches the quote
    low = max(0, best_at - size // 2)
    region = text[low : best_at + size + size // 2]
    matcher.set_seq1(region)
    blocks = [b for b in matcher.get_matching_blocks() if b.size >= 3]
    if blocks:
        first = low + blocks[0].a
        last = low + blocks[-1].a + blocks[-1].size
    else:
        first, last = best_at, best_at + size
    # bound: the window of the quote's length and at most CONTEXT characters either side
    bound_low = max(0, best_at - CONTEXT)
    bound_high = min(len(text), best_at + size + CONTEXT)
    first = min(max(first, bound_low), bound_high)
    last = max(min(last, bound_high), first)
    # widen to word boundaries, within the bound
    begin, cut_before = _word_start(text, first, bound_low)
    end, cut_after = _word_end(text, last, bound_high)
    begin, end = _without_stray_quotes(text, begin, end, quote)
    passage = text[begin:end]
    return begin, ("…" if cut_before else "") + passage + ("…" if cut_after else "")


def _word_start(text: str, at: int, bound: int) -> tuple[int, bool]:
    """The start of the word at ``at`` (no further back than ``bound``), and whether
    the bound cut that word."""
    if at == 0 or text[at - 1] == " ":
        return at, False
    space = text.rfind(" ", bound, at)
    if space >= 0:
        return space + 1, False
    return bound, bound > 0 and text[bound - 1] != " "


def _word_end(text: str, at: int, bound: int) -> tuple[int, bool]:
    """The end of the word ending at or after ``at`` (no further than ``bound``), and
    whether the bound cut that word."""
    if at == len(text) or text[at] == " " or (at and text[at - 1] == " "):
        return at, False
    space = text.find(" ", at, bound)
    if space >= 0:
        return space, False
    return bound, bound < len(text) and text[bound] != " "


def _without_stray_quotes(text: str, begin: int, end: int, quote: str) -> tuple[int, int]:
    """``begin`` and ``end`` moved past spaces, and past quote marks the quote does not
    begin or end with (an apostrophe ending a word, as in ``parents'``, stays)."""
    while begin < end and (
        text[begin] == " " or (text[begin] in _QUOTE_MARKS and not quote.startswith(text[begin]))
    ):
        begin += 1
    while end > begin and (
        text[end - 1] == " "
        or (
            text[end - 1] in _QUOTE_MARKS
            and not quote.endswith(text[end - 1])
            and not (text[end - 1] == "'" and end - 2 >= begin and text[end - 2].isalnum())
        )
    ):
        end -= 1
    return begin, end
