"""Text helpers for Vietnamese names."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case `text` without diacritics, so "Đinh Thị Hòa" matches "dinh thi hoa".

    Unicode decomposition strips the tone and vowel marks; đ has no decomposition and is mapped
    by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.lower().split())
