"""An official document as a PDF to print and archive: the HTML layout (templates/documents/
official.html, official.css) set by WeasyPrint, which embeds the fonts it uses (a subset), so the
Vietnamese diacritics print exactly on any machine.

WeasyPrint needs Pango from the system (README: set-up). Without it the rest of the product
still runs; asking for a PDF then says what to install instead of failing at start-up.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

from documents.official import OfficialDocument

try:
    from weasyprint import CSS, HTML
except OSError as missing:  # Pango's shared libraries are not installed
    CSS = HTML = None
    PANGO_MISSING: OSError | None = missing
else:
    PANGO_MISSING = None

STYLESHEET = Path(__file__).with_name("official.css")


def render_pdf(doc: OfficialDocument) -> bytes:
    if HTML is None or CSS is None:
        raise ImproperlyConfigured(
            "PDF documents need Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            f"fonts-liberation ({PANGO_MISSING})"
        )
    html = render_to_string("documents/official.html", {"doc": doc})
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(filename=STYLESHEET)])
    assert pdf is not None  # write_pdf returns bytes when given no target
    return pdf
