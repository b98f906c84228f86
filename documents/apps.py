from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        from cases.page import register_case_section, register_scan_sections, register_signables
        from documents import catalogue, page

        register_case_section(page.documents_section)
        register_signables(catalogue.signable)
        register_scan_sections(catalogue.scan_sections)
