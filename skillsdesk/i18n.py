"""Translations: gettext catalogues in ``i18n/``, babel for dates and numbers.

English (UK) is the source language. Import ``_``, ``N_``, ``ngettext`` and ``pgettext`` from here
explicitly; nothing is put in builtins. Catalogues are ``.po`` files compiled in memory the first
time a language is used, so no compiled ``.mo`` file is kept in git or can drift from its source.
"""

from __future__ import annotations

import datetime as _dt
import gettext as _gettext
import io
import logging
from typing import TYPE_CHECKING

from skillsdesk.paths import catalogues_dir

if TYPE_CHECKING:
    from babel import Locale

DOMAIN = "skillsdesk"
SOURCE_LOCALE = "en_GB"

log = logging.getLogger(__name__)

_state: dict[str, object] = {
    "locale": SOURCE_LOCALE,
    "translations": _gettext.NullTranslations(),
}
_cache: dict[str, _gettext.NullTranslations] = {}


def _load(locale: str) -> _gettext.NullTranslations:
    if locale in _cache:
        return _cache[locale]
    translations: _gettext.NullTranslations = _gettext.NullTranslations()
    for candidate in (locale, locale.split("_")[0]):
        po = catalogues_dir() / f"{candidate}.po"
        if po.is_file():
            from babel.messages.mofile import write_mo
            from babel.messages.pofile import read_po

            with po.open("rb") as handle:
                catalog = read_po(handle, locale=candidate, domain=DOMAIN)
            buffer = io.BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            translations = _gettext.GNUTranslations(buffer)
            break
    _cache[locale] = translations
    return translations


def translations_for(locale: str) -> _gettext.NullTranslations:
    """The catalogue for one language (falling back to English), without switching the app."""
    return _load(locale)


def set_locale(locale: str) -> None:
    """Switch the language for everything that calls ``_`` from now on."""
    _state["locale"] = locale
    _state["translations"] = _load(locale)


def current_locale() -> str:
    return str(_state["locale"])


def available_locales() -> list[str]:
    return [SOURCE_LOCALE] + sorted(p.stem for p in catalogues_dir().glob("*.po"))


def _t() -> _gettext.NullTranslations:
    return _state["translations"]  # type: ignore[return-value]


def _(message: str) -> str:
    return _t().gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; translate it where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _t().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _t().pgettext(context, message)


# babel is imported by the functions that use it: nothing before the first window needs it.
def _babel_locale(locale: str | None) -> Locale:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale or current_locale())
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LOCALE)


def format_date(value: _dt.date, form: str = "medium", locale: str | None = None) -> str:
    from babel import dates as _dates

    return _dates.format_date(value, format=form, locale=_babel_locale(locale))


def format_number(value: float, locale: str | None = None) -> str:
    from babel import numbers as _numbers

    return _numbers.format_decimal(value, locale=_babel_locale(locale))


def is_right_to_left(locale: str | None = None) -> bool:
    return _babel_locale(locale).character_order == "right-to-left"
