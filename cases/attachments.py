"""What may be attached to a case: a few document and image types, checked by their content."""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class CheckedUpload:
    """An acceptable upload, as the case's attachment records it."""

    name: str  # as sent: never empty, it ends with one of ALLOWED_TYPES
    size: int
    content_type: str


def checked_upload(upload: UploadedFile) -> CheckedUpload:
    """An acceptable upload's name, size and content type; ValidationError naming `file`
    otherwise. The form's and the API's file fields have refused an upload without a name or a
    size; an upload built without a size counts as empty."""
    limit = settings.CHECHO_ATTACHMENT_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            {"file": [_("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}]}
        )
    name = upload.name or ""
    lowered = name.lower()
    extension = lowered[lowered.rfind(".") :] if "." in lowered else ""
    if extension not in ALLOWED_TYPES:
        raise ValidationError({"file": [_("Attach a PDF, JPEG, PNG, DOCX, XLSX or ODT file.")]})
    content_type, signature = ALLOWED_TYPES[extension]
    upload.seek(0)
    head = upload.read(len(signature))
    upload.seek(0)
    if head != signature:
        raise ValidationError({"file": [_("The file's content does not match its type.")]})
    return CheckedUpload(name=name, size=size, content_type=content_type)
