"""Checking an uploaded paper from its content, never from its name or declared type.

A browser's Content-Type and the file extension are whatever the uploader's machine
says; a Word document renamed ".pdf" or a PDF cut short by a dropped connection would
otherwise reach the public as a broken download. So we read the bytes: the `%PDF-`
header, then pypdf must open the file and walk every page.
"""

import hashlib
import re
from dataclasses import dataclass

import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

PDF_HEADER = b"%PDF-"
CHUNK_SIZE = 1024 * 1024


@dataclass(frozen=True)
class PdfFacts:
    """What we store about a checked PDF."""

    size: int
    sha256: str
    page_count: int


def max_upload_bytes() -> int:
    return settings.PAPER_MAX_UPLOAD_MB * 1024 * 1024


def safe_pdf_filename(name: str) -> str:
    """A storage-safe file name that ends in .pdf, keeping as much of `name` as possible."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base[:-4] if base.lower().endswith(".pdf") else base
    stem = re.sub(r"[^-\w.]", "", stem.strip().replace(" ", "_")).strip("._")
    return f"{stem[:150] or 'paper'}.pdf"


def inspect_pdf(uploaded) -> PdfFacts:
    """Check that `uploaded` (a Django File) is a complete, readable PDF within the size
    limit, and return its size, SHA-256 and page count. Raises ValidationError with a
    message the uploader can act on."""
    size = uploaded.size
    if size is None:
        raise ValidationError("The file could not be read. Choose it again.", code="unreadable")
    if size == 0:
        raise ValidationError("The selected file is empty.", code="empty")
    if size > max_upload_bytes():
        raise ValidationError(
            f"The file must be smaller than {settings.PAPER_MAX_UPLOAD_MB} MB "
            f"(this one is {filesizeformat(size)}). Reduce the size of the PDF, for example by "
            "compressing its images, and upload it again.",
            code="too_big",
        )

    uploaded.seek(0)
    if uploaded.read(len(PDF_HEADER)) != PDF_HEADER:
        raise ValidationError(
            "The file must be a PDF. This file is not a PDF, whatever its name says: save or export "
            "the document as PDF and upload that.",
            code="not_pdf",
        )

    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks(CHUNK_SIZE):
        digest.update(chunk)

    page_count = _count_pages(uploaded)
    uploaded.seek(0)
    return PdfFacts(size=size, sha256=digest.hexdigest(), page_count=page_count)


def _count_pages(uploaded) -> int:
    uploaded.seek(0)
    try:
        reader = pypdf.PdfReader(uploaded, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                "The PDF is protected by a password. Upload a copy without a password so that everyone can open it.",
                code="encrypted",
            )
        page_count = 0
        for page in reader.pages:
            page.mediabox  # noqa: B018 - resolving each page proves the page tree is intact
            page_count += 1
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many error types on malformed input
        raise ValidationError(
            "The PDF is damaged or incomplete and cannot be opened. Check that it opens on your "
            "computer, save it again as PDF and upload it again.",
            code="corrupt",
        ) from None
    if page_count == 0:
        raise ValidationError("The PDF has no pages.", code="no_pages")
    return page_count
