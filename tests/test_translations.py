"""Vietnamese is the users' language: the catalogue is complete and the compiled file current."""

import gettext
from pathlib import Path

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
        # The header ("") carries dates that differ between compilers; the messages must not.
        expected_catalog = gettext.GNUTranslations(expected)._catalog | {"": ""}
        committed_catalog = gettext.GNUTranslations(committed)._catalog | {"": ""}
    assert committed_catalog == expected_catalog, "run `make messages` and commit django.mo"
