"""The text layer of a PDF, for search. A generic PDF helper at the bottom of the apps: meetings
extracts each paper version's text with it (meetings.services.papers) and publishing each
strategy PDF's (publishing.services)."""

import io

from pypdf import PdfReader

# Some 400 pages of dense text; the search index reads the first 400,000 characters of it
# (the `search_vector` columns of meetings' 0018 and publishing's 0006).
LIMIT = 1_000_000


def extract_text(data: bytes, limit: int = LIMIT) -> str:
    """The text layer of a PDF, for search; stops at `limit` characters. NUL characters, which
    some PDFs' text holds and PostgreSQL cannot store in a text column, are dropped."""
    reader, parts, total = PdfReader(io.BytesIO(data)), [], 0
    for page in reader.pages:
        text = (page.extract_text() or "").replace("\x00", "")
        parts.append(text)
        total += len(text)
        if total >= limit:
            break
    return "\n".join(parts)[:limit]
