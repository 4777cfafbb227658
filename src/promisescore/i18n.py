"""Interface language of published pages (the site and the HTML report card): English
and French from one catalogue.

The English text is in the templates and the code; French comes from the gettext
catalogue ``promisescore/locale/fr/LC_MESSAGES/promisescore.po`` shipped in the package
together with
its compiled ``promisescore.mo`` (so nothing is compiled at install time). The ``.mo`` is
made reproducibly from the ``.po`` by :func:`compile_catalogue` (Babel, a development
tool only); ``tests/test_site_i18n.py`` checks that the shipped file is exactly what it
gives. Dates and percentages are formatted per language here, without the locale of the
machine, so a page is the same everywhere.
"""

from __future__ import annotations

import functools
import gettext
import io
from datetime import date
from importlib import resources
from pathlib import Path

LANGUAGES: tuple[str, ...] = ("en", "fr")
DOMAIN = "promisescore"


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it here."""
    return message


_MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)

#: Labels of the built-in scales (``promisescore.scales``), translated when a rubric
#: uses a preset; a rubric's own labels are shown as written.
PRESET_LABELS = (
    N_("Not Yet Rated"),
    N_("Promise Broken"),
    N_("Stalled"),
    N_("In the Works"),
    N_("Compromise"),
    N_("Promise Kept"),
    N_("Not yet rated"),
    N_("Broken"),
    N_("Kept in part or in the works"),
    N_("Kept"),
    N_("Not fulfilled"),
    N_("Partially fulfilled"),
    N_("Fully fulfilled"),
)


_OWN_MESSAGES: tuple[str, ...] = (*_MONTHS, *PRESET_LABELS)


def catalogue_dir() -> Path:
    """The folder holding ``<lang>/LC_MESSAGES/promisescore.po`` (and ``.mo``)."""
    return Path(str(resources.files("promisescore") / "locale"))


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The translations of ``lang`` (English: the identity)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose from {', '.join(LANGUAGES)}")
    if lang == "en":
        return gettext.NullTranslations()
    data = (
        resources.files("promisescore") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    ).read_bytes()
    return gettext.GNUTranslations(io.BytesIO(data))


class Language:
    """Text, dates and numbers in one language."""

    def __init__(self, lang: str = "en") -> None:
        self.code = lang
        self.translations = translations(lang)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def long_date(self, value: date | None) -> str:
        """``20 January 2022`` / ``20 janvier 2022`` (``1er janvier`` in French)."""
        if value is None:
            return ""
        month = self.gettext(_MONTHS[value.month - 1])
        day = "1er" if self.code == "fr" and value.day == 1 else str(value.day)
        return f"{day} {month} {value.year}"

    def month_year(self, value: date) -> str:
        """``January 2022`` / ``janvier 2022``: a date's month as :meth:`long_date`
        writes it, without the day (the charts' calendar ticks)."""
        return f"{self.gettext(_MONTHS[value.month - 1])} {value.year}"

    def pct(self, value: float | None, digits: int = 1) -> str:
        """``49.5%`` / ``49,5 %`` (a narrow no-break space before % in French)."""
        if value is None:
            return "—"
        text = f"{100 * value:.{digits}f}"
        if self.code == "fr":
            return text.replace(".", ",") + "\u202f%"
        return text + "%"

    def num(self, value: float) -> str:
        text = f"{value:g}"
        return text.replace(".", ",") if self.code == "fr" else text


def compile_catalogue(po_path: Path) -> bytes:
    """The ``.mo`` bytes of a ``.po`` file. Deterministic whatever the version of the
    tools: Babel only parses the ``.po``; the GNU ``.mo`` file is written here, with the
    ``.po``'s own header (no clock, no tool version) and the messages sorted. Babel is
    needed only to run this, not to use the catalogue."""
    import struct

    from babel.messages.pofile import read_po

    with po_path.open("rb") as handle:
        catalogue = read_po(handle, locale=po_path.parent.parent.name, domain=DOMAIN)
    header = _po_header(po_path)
    pairs = {"": header}
    for message in catalogue:
        ident, text = message.id, message.string
        if not ident or message.fuzzy:
            continue
        if isinstance(ident, str) and isinstance(text, str) and text:
            pairs[ident] = text
        elif isinstance(ident, tuple | list) and isinstance(text, tuple | list) and all(text):
            # a plural: "singular NUL plural" → the forms joined by NUL (GNU .mo)
            pairs["\0".join(ident)] = "\0".join(text)
    keys = sorted(pairs)
    ids = [k.encode("utf-8") for k in keys]
    strs = [pairs[k].encode("utf-8") for k in keys]
    count = len(keys)
    start = 7 * 4 + 16 * count
    offsets: list[int] = []
    blob = b""
    for item in ids + strs:
        offsets += [len(item), start + len(blob)]
        blob += item + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, 0)
    return head + struct.pack(f"<{4 * count}I", *offsets) + blob


def _po_header(po_path: Path) -> str:
    """The header entry (``msgid ""``) of a ``.po`` file, as written in it."""
    lines = po_path.read_text(encoding="utf-8").splitlines()
    start = lines.index('msgid ""')
    text = []
    for line in lines[start + 2 :]:
        if not line.startswith('"'):
            break
        text.append(line[1:-1].replace("\\n", "\n").replace('\\"', '"'))
    return "".join(text)


def extract_messages() -> list[str]:
    """Every message of the published pages' templates and code (the site's and the HTML
    report card's), in first-seen order (Babel's extractors; a development tool)."""
    from babel.messages.extract import extract_from_dir

    package = Path(__file__).resolve().parent
    method_map = [("templates/**.j2", "jinja2.ext:babel_extract"), ("**.py", "python")]
    options_map = {
        "templates/**.j2": {
            "extensions": "jinja2.ext.i18n",
            "trim_blocks": "true",
            "lstrip_blocks": "true",
        }
    }
    seen: dict[str, None] = {}
    # this module, the site and the HTML report card (its template and html.py)
    for folder in (package / "site", package / "renderers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(folder),
            method_map,
            options_map,
            keywords={"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)},
        ):
            ident = message if isinstance(message, str) else message[0]
            seen.setdefault(ident, None)
    return [*_OWN_MESSAGES, *(m for m in seen if m not in _OWN_MESSAGES)]


def main() -> None:  # pragma: no cover - a development tool
    """``python -m promisescore.i18n``: rebuild every shipped ``.mo`` from its ``.po``."""
    for po in sorted(catalogue_dir().glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(compile_catalogue(po))
        print(f"wrote {mo}")


if __name__ == "__main__":  # pragma: no cover
    main()
