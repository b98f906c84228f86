"""Vietnamese is the users' language: the catalogue is complete and the compiled file current."""

import gettext
from pathlib import Path
from typing import BinaryIO

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"


def test_every_message_has_a_vietnamese_translation():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == []


def test_the_compiled_catalogue_matches_the_translations(tmp_path):
    fresh = tmp_path / "django.mo"
    polib.pofile(str(CATALOGUE / "django.po")).save_as_mofile(str(fresh))
    with fresh.open("rb") as expected, (CATALOGUE / "django.mo").open("rb") as committed:
        expected_catalog, committed_catalog = messages_of(expected), messages_of(committed)
    assert committed_catalog == expected_catalog, "run `make messages` and commit django.mo"


def messages_of(compiled: BinaryIO) -> dict[str | tuple[str, int], str]:
    """The messages of a compiled catalogue. The header ("") carries dates that differ between
    compilers, so it is left out; the messages must not differ."""
    # gettext has no public reader of the messages; typeshed leaves the private one out. Its keys
    # are the message ids, and (id, n) for each plural form.
    translations = gettext.GNUTranslations(compiled)
    catalog: dict[str | tuple[str, int], str] = translations._catalog  # type: ignore[attr-defined]
    return catalog | {"": ""}
