"""The Babel catalogs are current: every text in code and templates is in them, compiled as shipped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from konfliktmanagement.lib.i18n import LOCALE_DIR, gettext, translations

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("de", "en")


def _key(message_id: str | tuple[str, ...] | list[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]  # plural entries: (singular, plural)


def _ids(catalog) -> set[str]:
    return {_key(message.id) for message in catalog if message.id}


def _extract(target: Path) -> set[str]:
    # The same command `make messages` runs, in-process.
    arguments = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "N_", "-k", "gettext"]
    arguments += ["-k", "ngettext:1,2", "--no-location", "--sort-output", "--omit-header", "-o", str(target), str(ROOT)]
    CommandLineInterface().run(arguments)
    with target.open("rb") as handle:
        return _ids(read_po(handle))


def test_template_holds_every_text(tmp_path: Path) -> None:
    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        committed = _ids(read_po(handle))
    current = _extract(tmp_path / "messages.pot")
    assert current - committed == set(), "new texts missing from the catalog: run `make messages`"
    assert committed - current == set(), "texts no longer used are still in the catalog: run `make messages`"


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogs_cover_the_template_and_are_compiled(locale: str) -> None:
    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        wanted = _ids(read_po(handle))
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as handle:
        po = read_po(handle)
    assert wanted <= _ids(po), f"{locale} catalog lacks texts: run `make messages`"
    compiled = io.BytesIO()
    write_mo(compiled, po)
    shipped = (folder / "messages.mo").read_bytes()
    assert shipped == compiled.getvalue(), f"{locale} .mo is not compiled from its .po: run `make messages`"


def test_the_ui_runs_on_the_german_catalog() -> None:
    assert type(translations()).__name__ == "Translations", "the German catalog must load (not a fallback)"
    assert gettext("Abmelden") == "Abmelden"
