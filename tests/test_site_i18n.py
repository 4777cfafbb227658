"""The message catalogue: complete, and shipped compiled exactly as the .po gives it."""

from __future__ import annotations

from datetime import date

import pytest

from promisescore.i18n import (
    LANGUAGES,
    Language,
    catalogue_dir,
    compile_catalogue,
    extract_messages,
    translations,
)

babel = pytest.importorskip("babel")


def _po_messages(lang: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    with (catalogue_dir() / lang / "LC_MESSAGES" / "promisescore.po").open("rb") as handle:
        catalogue = read_po(handle)
    out = {}
    for m in catalogue:
        if m.id:
            ident = m.id if isinstance(m.id, str) else m.id[0]
            out[ident] = m.string if isinstance(m.string, str) else " | ".join(m.string or ())
    return out


def test_shipped_mo_is_the_compiled_po() -> None:
    for lang in LANGUAGES[1:]:
        po = catalogue_dir() / lang / "LC_MESSAGES" / "promisescore.po"
        mo = po.with_suffix(".mo")
        assert mo.read_bytes() == compile_catalogue(po), "rebuild it: python -m promisescore.i18n"


def test_catalogue_translates_every_message_and_nothing_else() -> None:
    messages = extract_messages()
    assert len(messages) > 100
    for lang in LANGUAGES[1:]:
        po = _po_messages(lang)
        assert sorted(po) == sorted(messages)
        assert all(po.values()), [k for k, v in po.items() if not v]
        for message in messages:
            for placeholder in ("%(rated)s", "%(num)s", "{date}", "{after}", "%(score)s"):
                assert (placeholder in message) == (placeholder in po[message]), message


def test_translations_are_read_from_the_compiled_file() -> None:
    assert translations("fr").gettext("Promises") == "Promesses"
    singular, plural = "%(rated)s of %(num)s promise rated", "%(rated)s of %(num)s promises rated"
    assert (
        translations("fr").ngettext(singular, plural, 1) == "%(rated)s sur %(num)s promesse évaluée"
    )
    assert (
        translations("fr").ngettext(singular, plural, 4)
        == "%(rated)s sur %(num)s promesses évaluées"
    )
    assert translations("en").ngettext(singular, plural, 1) == singular
    assert translations("en").gettext("Promises") == "Promises"
    with pytest.raises(ValueError, match="unsupported language"):
        translations("de")


@pytest.mark.parametrize(
    ("lang", "day", "text"),
    [
        ("en", date(2022, 1, 20), "20 January 2022"),
        ("fr", date(2022, 1, 20), "20 janvier 2022"),
        ("fr", date(2021, 8, 1), "1er août 2021"),
        ("en", date(2021, 8, 1), "1 August 2021"),
    ],
)
def test_dates_per_language(lang: str, day: date, text: str) -> None:
    assert Language(lang).long_date(day) == text


def test_numbers_per_language() -> None:
    assert Language("en").pct(0.4949) == "49.5%"
    assert Language("fr").pct(0.4949) == "49,5\u202f%"
    assert Language("fr").pct(None) == "—"
    assert Language("fr").num(1.5) == "1,5"
