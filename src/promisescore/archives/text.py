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
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArchiveTextError(
            f"not valid UTF-8 (byte {exc.start}); save the archived copy as UTF-8"
        ) from None
    return html_text(source) if kind == "html" else plain_text(source)


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
