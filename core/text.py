"""Text helpers: Vietnamese names, amounts of đồng."""

import unicodedata

from django.utils import formats, numberformat

# How much longer than its text a fold may be: decomposition splits a Korean syllable into up to
# three letters (and a few vowels of Indic scripts into three signs) that are not marks, so they
# stay. A column that holds the fold of a name holds this many times the name's length.
FOLD_GROWTH = 3


def fold(text: str) -> str:
    """Lower-case `text` without diacritics, so "Đinh Thị Hòa" matches "dinh thi hoa".

    Unicode decomposition strips the tone and vowel marks; đ has no decomposition and is mapped
    by hand. The result is at most FOLD_GROWTH times as long as `text`.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.lower().split())


def vnd(amount: int | None) -> str:
    """An amount of đồng with the language's thousands separator (7.500.000 in Vietnamese)."""
    if amount is None:
        return ""
    return numberformat.format(
        amount,
        formats.get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )
