"""The NHS.UK frontend's stylesheet without its web font, so that no page breaks its own Content
Security Policy (docs/adr/001-nhsuk-frontend-and-csp.md).

The compiled stylesheet declares the Frutiger font with `@font-face` rules pointing at
assets.nhs.uk. The policy allows fonts from our own origin only, and Chromium asks for a declared
face even when no text ends up set in it, so every page logged blocked requests. Frutiger is
licensed to the NHS and cannot be served by us; the frontend's own fallback is Arial. So this
finder, placed before the others, answers for `nhsuk/nhsuk-frontend.min.css` with a copy from
which the `@font-face` rules are removed: runserver, the test server and `collectstatic` (whence
whitenoise serves it) all get that copy. Nothing is copied into the repository: the copy is made
from the installed npm package, next to it in node_modules, whenever the package is newer.
"""

import os
import re
import tempfile

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

STYLESHEET = "nhsuk-frontend.min.css"
PREFIX = "nhsuk"
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


def without_web_fonts(css: str) -> str:
    """`css` with every @font-face rule removed (a rule has no nested braces)."""
    return FONT_FACE.sub("", css)


def _build_dir():
    return settings.BASE_DIR / "node_modules" / ".icp-portal"


def fontless_stylesheet():
    """The path of the stylesheet without web fonts, made (atomically) if missing or stale;
    None when the frontend is not installed."""
    source = settings.FRONTEND_DIST / STYLESHEET
    if not source.exists():
        return None
    target = _build_dir() / STYLESHEET
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        target.parent.mkdir(parents=True, exist_ok=True)
        css = without_web_fonts(source.read_text(encoding="utf-8"))
        # Several processes may build it at once: each writes its own file and renames it.
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".css")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(css)
        os.replace(temporary, target)
    return target


class FrontendWithoutWebFontsFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        found = fontless_stylesheet() if path == f"{PREFIX}/{STYLESHEET}" else None
        if find_all or kwargs.get("all"):
            return [str(found)] if found else []
        return str(found) if found else None

    def list(self, ignore_patterns):
        found = fontless_stylesheet()
        if found:
            storage = FileSystemStorage(location=found.parent)
            storage.prefix = PREFIX
            yield STYLESHEET, storage
