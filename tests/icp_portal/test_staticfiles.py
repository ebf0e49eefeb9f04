"""The NHS.UK stylesheet is served without its web font, which the Content Security Policy would
block on every page (icp_portal/staticfiles.py, docs/adr/001-nhsuk-frontend-and-csp.md)."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from icp_portal.staticfiles import without_web_fonts

ORIGINAL = settings.FRONTEND_DIST / "nhsuk-frontend.min.css"


def test_the_rules_declaring_a_font_are_removed_and_nothing_else():
    css = "a{color:red}@font-face{font-family:X;src:url(https://fonts.example/x.woff2)}html{font-family:X,arial}"
    assert without_web_fonts(css) == "a{color:red}html{font-family:X,arial}"


def test_the_stylesheet_found_has_no_font_from_another_site():
    original = ORIGINAL.read_text(encoding="utf-8")
    assert "assets.nhs.uk/fonts" in original  # what the frontend ships
    served = Path(finders.find("nhsuk/nhsuk-frontend.min.css")).read_text(encoding="utf-8")
    assert "@font-face" not in served and "assets.nhs.uk" not in served
    assert served == without_web_fonts(original)
    # Everything else of the frontend is found where it always was.
    assert finders.find("nhsuk/nhsuk-frontend.min.js").startswith(str(settings.FRONTEND_DIST))


def test_collectstatic_collects_the_stylesheet_without_the_font(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    collected = (tmp_path / "nhsuk" / "nhsuk-frontend.min.css").read_text(encoding="utf-8")
    assert "@font-face" not in collected and ".nhsuk-header" in collected
