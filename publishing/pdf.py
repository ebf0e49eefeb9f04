"""PDF building blocks: HTML to tagged PDF with WeasyPrint, pypdf for packs, and the
removal of active content (scripts, launch actions, embedded files) from PDFs we publish."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from pypdf import PdfReader, PdfWriter

from core.pdf_safety import strip_active_content


def _print_stylesheet():
    from weasyprint import CSS

    return CSS(filename=finders.find("css/pdf.css"))


def html_to_pdf(html: str) -> bytes:
    """Render `html` (a whole document whose <title>, <meta name=author>, <meta
    name=description> and <html lang> become the PDF's metadata) as a tagged PDF/UA file."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(stylesheets=[_print_stylesheet()], pdf_variant="pdf/ua-1", pdf_tags=True)


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


@dataclass
class PackPart:
    """A run of pages in a pack, with the outline entry that points at its first page."""

    title: str
    data: bytes
    level: int = 0


def assemble(parts: list[PackPart], *, title: str, author: str, subject: str, numbers: bytes | None) -> bytes:
    """Concatenate `parts` into one PDF with an outline entry per part, metadata, and
    (when `numbers` is a PDF with one numbered page per pack page) page numbers stamped on."""
    writer = PdfWriter()
    parents: dict[int, object] = {}
    for part in parts:
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(part.data)), import_outline=False)
        parent = parents.get(part.level - 1) if part.level else None
        parents[part.level] = writer.add_outline_item(title=part.title, page_number=start, parent=parent)
    # Uploads are cleaned when they arrive; this also cleans papers stored before that check
    # existed, and anything a part brought in that the upload check did not see.
    strip_active_content(writer)
    if numbers:
        stamps = PdfReader(io.BytesIO(numbers)).pages
        for page, stamp in zip(writer.pages, stamps, strict=False):
            page.merge_page(stamp, over=True)
    writer.add_metadata({"/Title": title, "/Author": author, "/Subject": subject, "/Producer": "ICP Portal"})
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def css_string(text: str) -> str:
    """`text` for use inside a single-quoted CSS string in a <style> element, where HTML
    entities are not decoded: every character that could end the string, the rule or the
    element is written as a CSS escape, so names like "Tom & Jerry's" print as typed."""
    return "".join(
        ch if ch.isalnum() or ch in " ,.-–()/" else f"\\{ord(ch):x} "
        for ch in text.replace("\n", " ").replace("\r", " ")
    )


def page_number_stamps(total: int, label: str) -> bytes:
    """A PDF of `total` blank A4 pages with 'label – Page n of total' in the footer,
    to stamp on a pack whose merged papers carry their own numbering or none."""
    pages = "".join('<div class="stamp"></div>' for _ in range(total))
    html = (
        '<html lang="en-GB"><head><style>'
        "@page { size: A4; margin: 0; @bottom-center { content: '" + css_string(label) + " – Page '"
        " counter(page) ' of ' counter(pages); font: 8pt sans-serif; color: #425563; margin-bottom: 6mm; } }"
        ".stamp { page-break-after: always; height: 1px; }"
        "</style></head><body>" + pages + "</body></html>"
    )
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
