"""What may be attached to a case: a few document and image types, checked by their content."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Extension → (content type, the bytes such a file starts with).
ALLOWED_TYPES: dict[str, tuple[str, bytes]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ".odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
}


def checked_content_type(upload: UploadedFile) -> str:
    """The content type of an acceptable upload; ValidationError naming `file` otherwise."""
    limit = settings.CHECHO_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {"file": [_("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}]}
        )
    name = (upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if extension not in ALLOWED_TYPES:
        raise ValidationError({"file": [_("Attach a PDF, JPEG, PNG, DOCX, XLSX or ODT file.")]})
    content_type, signature = ALLOWED_TYPES[extension]
    upload.seek(0)
    head = upload.read(len(signature))
    upload.seek(0)
    if head != signature:
        raise ValidationError({"file": [_("The file's content does not match its type.")]})
    return content_type
