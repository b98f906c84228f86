"""An official document in the state's layout (Decree 30/2020/NĐ-CP on clerical work, Appendix I):
the national emblem text, the issuing body, the number and symbol, place and date in words, the
title, the body, the signature block and the recipients. One description, two renderings: PDF to
print (documents/pdf.py) and DOCX to edit before signing (documents/word.py).

The documents are Vietnamese official paper whatever the interface's language: their words are
written here in Vietnamese, not translated.
"""

import datetime
from dataclasses import dataclass, field

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Article:
    """One article of a decision ("Điều 1."), or one section of another document."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    # A table: its header row, then its rows (the plan's measures).
    table: list[list[str]] = field(default_factory=list)
    # A section's heading stands on its own line; an article's ("Điều 1.") opens its text.
    own_line: bool = False


@dataclass(frozen=True)
class OfficialDocument:
    form: str  # "Mẫu số 05" — the form of Decree 56/2017's appendix it follows
    parent_body: str  # "ỦY BAN NHÂN DÂN"
    body: str  # "XÃ NHO QUAN"
    number: str  # "12/QĐ-UBND", or "     /QĐ-UBND" to be numbered by hand
    place: str  # "Nho Quan"
    date: datetime.date
    kind: str  # "QUYẾT ĐỊNH"
    subject: str  # "Về việc …"
    authority: str  # "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ NHO QUAN"
    bases: list[str]  # "Căn cứ …;"
    articles: list[Article]
    recipients: list[str]
    signer_position: str  # "CHỦ TỊCH"
    signer_name: str
    # The line that announces the articles of a decision.
    decides: str = "QUYẾT ĐỊNH:"

    national_title: str = NATIONAL_TITLE
    motto: str = MOTTO

    @property
    def place_and_date(self) -> str:
        return f"{self.place}, {date_in_words(self.date)}"


def date_in_words(day: datetime.date) -> str:
    """ "ngày 05 tháng 01 năm 2026": days below 10 and the months January and February take a
    leading zero (Decree 30/2020, Appendix I, the place and date of a document)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def in_a_sentence(title: str) -> str:
    """A title as it continues a sentence ("… về việc kiểm tra … tại Nho Quan"): its first
    letter in lower case and the rest as typed, since places and bodies keep their capitals on
    official paper. Left whole when it opens with an abbreviation (UBND) or a name of two
    capitalised words (Ninh Bình)."""
    words = title.split()
    if not words or not words[0][:1].isupper() or words[0][1:] != words[0][1:].lower():
        return title
    if len(words) > 1 and words[1][:1].isupper():
        return title
    return title[:1].lower() + title[1:]


def place_name(unit_name: str) -> str:
    """ "Xã Nho Quan" → "Nho Quan": the place of a document is the unit's name without its level."""
    for level in ("Thành phố ", "Thị trấn ", "Phường ", "Đặc khu ", "Tỉnh ", "Xã "):
        if unit_name.startswith(level):
            return unit_name[len(level) :]
    return unit_name


def decision_number(entered: str, symbol: str = "QĐ-UBND") -> str:
    """The number and symbol as entered ("12/QĐ-UBND"), completed from a bare number ("12"), or a
    blank to be numbered by hand when the decision was recorded without one."""
    entered = entered.strip()
    if not entered:
        return f"      /{symbol}"
    return entered if "/" in entered else f"{entered}/{symbol}"
