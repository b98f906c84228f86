"""An official document as DOCX, for the officer to edit before it is signed: the same layout as
the PDF (documents/official.py), in Times New Roman 13 pt as the commune's documents are typed."""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from documents.official import OfficialDocument

FONT = "Times New Roman"
SIZE = Pt(13)


def paragraph(container, text: str = "", *, bold=False, italic=False, align=None, size=None):
    para = container.add_paragraph()
    if align is not None:
        para.alignment = align
    para.paragraph_format.space_after = Pt(3)
    if text:
        run = para.add_run(text)
        run.bold, run.italic = bold, italic
        if size is not None:
            run.font.size = size
    return para


def heading_table(document, doc: OfficialDocument) -> None:
    """The two columns of the heading: the issuing body and its number on the left, the
    national title, the motto and the place and date on the right."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    center = WD_ALIGN_PARAGRAPH.CENTER
    left.paragraphs[0].add_run(doc.parent_body)
    left.paragraphs[0].alignment = center
    paragraph(left, doc.body, bold=True, align=center)
    if doc.number:
        paragraph(left, "Số: " + doc.number, align=center)
    right.paragraphs[0].add_run(doc.national_title).bold = True
    right.paragraphs[0].alignment = center
    paragraph(right, doc.motto, bold=True, align=center)
    paragraph(right, doc.place_and_date, italic=True, align=center)


def render_docx(doc: OfficialDocument) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, SIZE

    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph(document, doc.form, align=WD_ALIGN_PARAGRAPH.RIGHT, size=Pt(11))
    heading_table(document, doc)
    paragraph(document, doc.kind, bold=True, align=center, size=Pt(14))
    paragraph(document, doc.subject, bold=True, align=center)
    if doc.authority:
        paragraph(document, doc.authority, bold=True, align=center)
    for basis in doc.bases:
        paragraph(document, basis, italic=True, align=justify)
    if doc.decides:
        paragraph(document, doc.decides, bold=True, align=center)
    for article in doc.articles:
        if article.own_line:
            paragraph(document, article.heading, bold=True)
        for index, text in enumerate(article.paragraphs):
            para = paragraph(document, align=justify)
            if index == 0 and not article.own_line and article.heading:
                para.add_run(article.heading + " ").bold = True
            para.add_run(text)
        if article.table:
            table = document.add_table(rows=0, cols=len(article.table[0]))
            table.style = "Table Grid"
            for number, row in enumerate(article.table):
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
                    if number == 0:
                        cell.paragraphs[0].runs[0].bold = True

    closing = document.add_table(rows=1, cols=2)
    recipients, signature = closing.rows[0].cells
    recipients.paragraphs[0].add_run("Nơi nhận:").bold = True
    recipients.paragraphs[0].runs[0].italic = True
    for line in doc.recipients:
        paragraph(recipients, "- " + line, size=Pt(11))
    signature.paragraphs[0].add_run(doc.signer_position).bold = True
    signature.paragraphs[0].alignment = center
    for _ in range(3):
        paragraph(signature)
    paragraph(signature, doc.signer_name, bold=True, align=center)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
