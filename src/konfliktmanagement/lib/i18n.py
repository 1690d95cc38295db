"""The translation layer. Source strings are German (the UI language); catalogs add other languages."""

from __future__ import annotations

from babel.support import NullTranslations, Translations

from konfliktmanagement.lib.settings import PACKAGE_DIR

LOCALE_DIR = PACKAGE_DIR / "locale"
DEFAULT_LOCALE = "de"

_translations: dict[str, NullTranslations] = {}


def translations(locale: str = DEFAULT_LOCALE) -> NullTranslations:
    if locale not in _translations:
        _translations[locale] = Translations.load(str(LOCALE_DIR), [locale])
    return _translations[locale]


def gettext(message: str) -> str:
    return translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; translate it with `gettext` where it is shown."""
    return message


_ = gettext
