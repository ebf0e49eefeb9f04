"""Checking an uploaded paper from its content, never from its name or declared type.

A browser's Content-Type and the file extension are whatever the uploader's machine
says; a Word document renamed ".pdf" or a PDF cut short by a dropped connection would
otherwise reach the public as a broken download. So we read the bytes: the `%PDF-`
header, then pypdf must open the file and walk every page.

Every paper and evidence file reaches the public, merged into agenda packs, so the check
also refuses what would break a later pack build (a page count or a decompressed size far
beyond any real paper) and removes what a reader's PDF viewer would run (scripts, launch
actions, embedded files: see `core.pdf_safety.strip_active_content`). A file with nothing
to remove is stored exactly as uploaded.
"""

import hashlib
import io
import os
import re
import unicodedata
import zlib
from dataclasses import dataclass

import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from pypdf.errors import LimitReachedError
from pypdf.filters import ASCII85Decode, ASCIIHexDecode, LZWDecode, RunLengthDecode
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from core.pdf_safety import strip_active_content

PDF_HEADER = b"%PDF-"
CHUNK_SIZE = 1024 * 1024


@dataclass(frozen=True)
class PdfFacts:
    """What we store about a checked PDF. `content` holds the cleaned file when active
    content was removed (store it instead of the upload); `removed` says what was removed."""

    size: int
    sha256: str
    page_count: int
    content: bytes | None = None
    removed: tuple[str, ...] = ()
    # What a screen reader will miss ("no title", "no language", "no tags"); see `accessibility_gaps`.
    accessibility_gaps: tuple[str, ...] = ()

    @property
    def removed_notice(self) -> str:
        """A sentence for the uploader, or "" when nothing was removed."""
        return removed_notice(self.removed)

    @property
    def accessibility_notice(self) -> str:
        return accessibility_notice(self.accessibility_gaps)


def removed_notice(removed) -> str:
    """'We removed scripts and embedded files from this PDF.' for the labels in `removed`."""
    removed = list(removed)
    if not removed:
        return ""
    listed = removed[0] if len(removed) == 1 else ", ".join(removed[:-1]) + " and " + removed[-1]
    return f"We removed {listed} from this PDF. Its pages and text are unchanged."


def accessibility_notice(gaps) -> str:
    """A warning for the uploader of a PDF that lacks a title, a language or tags, or ""."""
    gaps = list(gaps)
    if not gaps:
        return ""
    listed = gaps[0] if len(gaps) == 1 else ", ".join(gaps[:-1]) + " and " + gaps[-1]
    return (
        f"Screen readers will struggle with this file: it has {listed}. It is published as it is; to "
        "make it accessible, export it again as a tagged PDF (in Word: File, Save as, PDF, Options, "
        "'Document structure tags for accessibility', with a title in File, Info) and upload it as a new version."
    )


def accessibility_notice_for(sha256: str) -> str:
    """The warning for a stored file, from what was recorded when it was checked ("" if none)."""
    from .models import PdfAccessibility

    check = PdfAccessibility.objects.filter(sha256=sha256).first()
    return accessibility_notice(check.gaps) if check else ""


def accessibility_gaps(reader) -> tuple[str, ...]:
    """What a screen reader will miss in the PDF `reader` has open: a document title (read out
    first, and shown in the tab), the language (how words are pronounced), and tags (the
    structure: headings, lists, tables, reading order). Without tags a screen reader reads the
    text as one stream, or nothing at all from a scan."""
    root = reader.trailer["/Root"].get_object()
    try:
        title = (reader.metadata or {}).get("/Title")
    except Exception:  # noqa: BLE001 - unreadable metadata is as good as none
        title = None
    language = root.get("/Lang")
    mark_info = root.get("/MarkInfo")
    mark_info = mark_info.get_object() if mark_info is not None else None
    marked = isinstance(mark_info, DictionaryObject) and mark_info.get("/Marked") == True  # noqa: E712 - a BooleanObject
    tagged = marked and root.get("/StructTreeRoot") is not None
    gaps = []
    if not str(title or "").strip():
        gaps.append("no title")
    if not str(language or "").strip():
        gaps.append("no language")
    if not tagged:
        gaps.append("no tags")
    return tuple(gaps)


def max_upload_bytes() -> int:
    return settings.PAPER_MAX_UPLOAD_MB * 1024 * 1024


def max_inflated_bytes() -> int:
    return settings.PAPER_MAX_INFLATED_MB * 1024 * 1024


# File names ---------------------------------------------------------------------------

STORED_STEM_LENGTH = 100
DOWNLOAD_STEM_LENGTH = 100
# Characters a download name never carries: quotes and backslashes (they end or escape the
# quoted Content-Disposition value), path separators, and those Windows refuses in names.
_DOWNLOAD_UNSAFE = re.compile(r'["\\/:*?<>|;]')
# A trailing extension other than .pdf ("poly.html", "report.exe"): dropped, because what
# we serve is always a PDF. Digits-only endings ("v1.2") are part of the name.
_OTHER_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")


def _last_part(name: str) -> str:
    return (name or "").replace("\\", "/").rsplit("/", 1)[-1]


# C*: controls (CR, LF, NUL), format characters (the right-to-left override that makes
# "fdp.exe" look like "exe.pdf"), surrogates, private use; Zl, Zp: line separators.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _without_controls(text: str) -> str:
    return "".join(" " if unicodedata.category(ch) in _INVISIBLE_CATEGORIES else ch for ch in text)


def safe_pdf_filename(name: str) -> str:
    """A storage-safe file name that ends in .pdf, keeping as much of `name` as possible.

    ASCII only and at most about 100 characters: file systems limit a name to 255 *bytes*,
    so 150 accented or CJK characters (300+ bytes in UTF-8) could not be written, and object
    stores and downloads handle ASCII best. The uploader's own name is kept separately, for
    display (`display_filename`)."""
    base = _last_part(name)
    stem = base[:-4] if base.lower().endswith(".pdf") else base
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^-\w.]", "", stem.strip().replace(" ", "_"), flags=re.ASCII).strip("._")
    return f"{stem[:STORED_STEM_LENGTH].rstrip('._') or 'paper'}.pdf"


def display_filename(name: str, max_length: int = 255) -> str:
    """The uploader's file name as we show it: no path, no control characters, and within
    `max_length` characters, shortened in the middle of the name so the extension stays."""
    base = " ".join(_without_controls(_last_part(name)).split()) or "paper.pdf"
    if len(base) <= max_length:
        return base
    stem, ext = os.path.splitext(base)
    if len(ext) > 10:
        stem, ext = base, ""
    return stem[: max_length - len(ext) - 1].rstrip() + "…" + ext


def download_filename(name: str, default: str = "document") -> str:
    """A file name safe to send in a Content-Disposition header, always ending in .pdf.

    Drops any path, control characters (CR/LF would split the header), quotes, backslashes
    and characters Windows refuses, collapses spaces, replaces an extension such as .html
    with .pdf (we only ever serve PDFs) and keeps at most 100 characters. Accented and other
    non-ASCII letters stay: Django sends them as `filename*=utf-8''...`."""
    base = unicodedata.normalize("NFC", _last_part(name))
    base = _DOWNLOAD_UNSAFE.sub(" ", _without_controls(base))
    stem = " ".join(base.split())
    stem = stem[:-4] if stem.lower().endswith(".pdf") else _OTHER_EXTENSION.sub("", stem)
    stem = stem[:DOWNLOAD_STEM_LENGTH].strip(" .-")
    return f"{stem or default}.pdf"


# The check --------------------------------------------------------------------------


def inspect_pdf(uploaded) -> PdfFacts:
    """Check that `uploaded` (a Django File) is a complete, readable PDF within the size,
    page and decompressed-size limits, remove active content, and return the facts of the
    file to store: its size, SHA-256 and page count, the cleaned bytes when something was
    removed, and what was. Raises ValidationError with a message the uploader can act on."""
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

    uploaded.seek(0)
    data = b"".join(uploaded.chunks(CHUNK_SIZE))
    uploaded.seek(0)
    _refuse_absurd_page_count(data)
    page_count, content, removed, gaps = _check_and_clean(data)
    if content is not None:
        data = content
    sha256 = hashlib.sha256(data).hexdigest()
    _record_accessibility(sha256, gaps)
    return PdfFacts(
        size=len(data),
        sha256=sha256,
        page_count=page_count,
        content=content,
        removed=removed,
        accessibility_gaps=gaps,
    )


def accessibility_check_stored(data: bytes) -> tuple[str, ...]:
    """Check and record a file stored before uploads were checked for accessibility (the
    `check_pdf_accessibility` command); a file pypdf cannot open counts as having none of it."""
    try:
        gaps = accessibility_gaps(pypdf.PdfReader(io.BytesIO(data), strict=False))
    except Exception:  # noqa: BLE001 - an unreadable file is no more accessible than an untagged one
        gaps = ("no title", "no language", "no tags")
    _record_accessibility(hashlib.sha256(data).hexdigest(), gaps)
    return gaps


def _record_accessibility(sha256: str, gaps: tuple[str, ...]) -> None:
    """Keep what the file lacks for a screen reader, by its checksum: the accessibility statement
    lists the public papers whose file has no tags (meetings.models.PdfAccessibility). The same
    bytes always give the same answer, so recording twice changes nothing."""
    from .models import PdfAccessibility

    PdfAccessibility.objects.update_or_create(
        sha256=sha256,
        defaults={
            "has_title": "no title" not in gaps,
            "has_language": "no language" not in gaps,
            "is_tagged": "no tags" not in gaps,
        },
    )


def _corrupt() -> ValidationError:
    return ValidationError(
        "The PDF is damaged or incomplete and cannot be opened. Check that it opens on your "
        "computer, save it again as PDF and upload it again.",
        code="corrupt",
    )


def _check_and_clean(data: bytes) -> tuple[int, bytes | None, tuple[str, ...], tuple[str, ...]]:
    """(page count, cleaned bytes or None, what was removed, what a screen reader will miss)
    for a PDF in `data`."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                "The PDF is protected by a password. Upload a copy without a password so that everyone can open it.",
                code="encrypted",
            )
        # Cheap refusals first, before anything walks every page or decodes a stream.
        _refuse_decompression_bomb(reader)
        _refuse_too_many_pages(reader)
        page_count = 0
        for page in reader.pages:
            page.mediabox  # noqa: B018 - resolving each page proves the page tree is intact
            page_count += 1
        if page_count == 0:
            raise ValidationError("The PDF has no pages.", code="no_pages")
        gaps = accessibility_gaps(reader)
        writer = pypdf.PdfWriter(clone_from=reader)
        removed = strip_active_content(writer)
        if not removed:
            return page_count, None, (), gaps
        out = io.BytesIO()
        writer.write(out)
        cleaned = out.getvalue()
        # What we store must itself pass: same pages, nothing left to remove.
        check = pypdf.PdfReader(io.BytesIO(cleaned))
        if len(check.pages) != page_count or strip_active_content(pypdf.PdfWriter(clone_from=check)):
            raise ValidationError(
                "The PDF contains scripts or embedded files that we could not remove safely. Save it "
                "again as PDF without them (for example with 'Print to PDF') and upload that.",
                code="uncleanable",
            )
        return page_count, cleaned, removed, gaps
    except ValidationError:
        raise
    except LimitReachedError:
        # One of pypdf's own limits: a stream, array, page tree or form far beyond any paper.
        raise ValidationError(
            "The PDF is too large or too complex for us to process. Save it again as PDF (for "
            "example with 'Print to PDF'), or split it into smaller documents, and upload that.",
            code="too_complex",
        ) from None
    except Exception:  # noqa: BLE001 - pypdf raises many error types on malformed input
        raise _corrupt() from None


# A page dictionary as written in an uncompressed file ("/Type /Page", not "/Pages").
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z0-9])")
# Incremental saves keep earlier copies of changed pages in the file, so a real document can
# hold a few times more page dictionaries than pages; only far more than that is refused here.
PAGE_OBJECTS_PER_PAGE = 4


def _refuse_absurd_page_count(data: bytes) -> None:
    """Refuse, before pypdf reads the file, one holding many times PAPER_MAX_PAGES page
    dictionaries. pypdf checks every object's position as it opens a file, which for the
    100,000 objects of a 100,000-page PDF takes seconds; a regular expression over the bytes
    takes milliseconds. The exact count (also of pages in compressed object streams, which
    this cannot see) comes after opening."""
    limit = settings.PAPER_MAX_PAGES
    if len(_PAGE_OBJECT.findall(data)) > limit * PAGE_OBJECTS_PER_PAGE:
        raise _too_many_pages(limit)


def _refuse_too_many_pages(reader) -> None:
    """Refuse a page tree with more than PAPER_MAX_PAGES pages, counting leaves ourselves
    and stopping at the limit: the declared /Count may lie, and flattening a 100,000-page
    tree first would take the time we are trying not to spend."""
    limit = settings.PAPER_MAX_PAGES
    pages = reader.root_object.get("/Pages")
    pages = pages.get_object() if pages is not None else None
    if not isinstance(pages, DictionaryObject):
        raise _corrupt()
    declared = pages.get("/Count")
    if isinstance(declared, int) and declared > limit:
        raise _too_many_pages(limit)
    count, seen, pending = 0, set(), [pages]
    while pending:
        node = pending.pop()
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if not isinstance(node, DictionaryObject) or id(node) in seen:
            continue
        seen.add(id(node))
        kids = node.get("/Kids")
        kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
        if node.get("/Type") != "/Page" and isinstance(kids, ArrayObject):
            pending.extend(kids)
            continue
        count += 1
        if count > limit:
            raise _too_many_pages(limit)


def _too_many_pages(limit: int) -> ValidationError:
    return ValidationError(
        f"The PDF has more than {limit:,} pages, which is more than a paper can have. Split it into "
        "smaller documents and upload them as separate papers.",
        code="too_many_pages",
    )


def _bomb() -> ValidationError:
    return ValidationError(
        f"The PDF expands to more than {settings.PAPER_MAX_INFLATED_MB} MB of data when it is opened, "
        "far more than its size suggests. It may be damaged or made to cause harm. Save it again as "
        "PDF (for example with 'Print to PDF') and upload that.",
        code="too_inflated",
    )


# Decompression bombs ----------------------------------------------------------------------

_FLATE = {"/FlateDecode", "/Fl"}
# Filters pypdf decodes for us: their output is bounded (ASCII) or by the budget we set.
_OTHER_DECODERS = {
    "/ASCIIHexDecode": ASCIIHexDecode,
    "/AHx": ASCIIHexDecode,
    "/ASCII85Decode": ASCII85Decode,
    "/A85": ASCII85Decode,
    "/LZWDecode": LZWDecode,
    "/LZW": LZWDecode,
    "/RunLengthDecode": RunLengthDecode,
    "/RL": RunLengthDecode,
}


def _refuse_decompression_bomb(reader) -> None:
    """Refuse a file whose streams together decode to more than PAPER_MAX_INFLATED_MB.

    Every stream in the file is measured (streams cannot live inside object streams, so
    the cross-reference table lists them all), a final Flate stage by counting chunks of
    at most CHUNK_SIZE, and we stop as soon as the total passes the limit: a 25 MB upload
    of zeros would otherwise inflate to gigabytes in a pack build or the search indexer.
    Image codecs (DCT, JPX, CCITT, JBIG2) are left encoded: nothing on the server decodes
    them."""
    budget = max_inflated_bytes()
    for generation, objects in list(reader.xref.items()):
        for idnum in list(objects):
            if generation == 0 and idnum in reader.xref_objStm:
                continue
            try:
                obj = reader.get_object(IndirectObject(idnum, generation, reader))
            except LimitReachedError:
                raise
            except Exception:  # noqa: BLE001, S112 - an unreadable object is refused later, or never used
                continue
            if isinstance(obj, StreamObject):
                budget -= _decoded_size(obj, budget)
                if budget < 0:
                    raise _bomb()


def _filters(stream: StreamObject) -> list[str]:
    filters = stream.get("/Filter")
    filters = filters.get_object() if isinstance(filters, IndirectObject) else filters
    if filters is None:
        return []
    if isinstance(filters, ArrayObject):
        return [str(f.get_object() if isinstance(f, IndirectObject) else f) for f in filters]
    return [str(filters)]


def _decoded_size(stream: StreamObject, budget: int) -> int:
    """How many bytes `stream` decodes to, or some number above `budget` once it passes it."""
    data = stream._data  # the encoded bytes; pypdf keeps them until asked to decode
    filters = _filters(stream)
    for position, name in enumerate(filters):
        if name in _FLATE:
            if position == len(filters) - 1:
                return _inflated_size(data, budget)
            data = _inflate(data, budget)
        elif name in _OTHER_DECODERS:
            with pypdf.apply_configuration(
                lzw_maximum_output_length=budget + 1, run_length_maximum_output_length=budget + 1
            ):
                try:
                    data = _OTHER_DECODERS[name].decode(data)
                except LimitReachedError:
                    return budget + 1
                except Exception:  # noqa: BLE001 - undecodable here is undecodable in a pack build too
                    return len(data)
        else:
            break
        if len(data) > budget:
            return len(data)
    return len(data)


def _inflation_chunks(data: bytes, budget: int):
    """Inflate `data` in chunks of at most CHUNK_SIZE, stopping once past `budget` or at
    the first error (pypdf's recovery of a broken stream yields the same prefix)."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)
    pending, total = data, 0
    try:
        while True:
            chunk = inflater.decompress(pending, CHUNK_SIZE)
            pending = inflater.unconsumed_tail
            total += len(chunk)
            yield chunk
            if total > budget or inflater.eof or (not chunk and not pending):
                return
    except zlib.error:
        return


def _inflated_size(data: bytes, budget: int) -> int:
    return sum(len(chunk) for chunk in _inflation_chunks(data, budget))


def _inflate(data: bytes, budget: int) -> bytes:
    return b"".join(_inflation_chunks(data, budget))
