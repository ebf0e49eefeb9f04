"""A real headless Chromium (Debian's, driven by Playwright) and an axe-core check.

Every page type gets `assert_accessible(page)`: zero serious or critical violations.
"""

import shutil

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = shutil.which("chromium")
    if not path:
        pytest.fail("Debian's chromium is needed for browser tests: make browser-deps (or apt-get install chromium)")
    return path


def assert_accessible(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in serious
    )
    assert not serious, f"{page.url} has accessibility violations:\n{details}"


def give_second_factor(page, username: str) -> None:
    """After the password, answer two-factor sign-in as the person's phone would (docs/accounts.md):
    an administrator, secretariat or chair who has an authenticator app gives its code; one who has
    none sets one up, as at a first sign-in, and carries on past the recovery codes. A member
    without an app is not asked, and this does nothing."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.two_factor import code_for

    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/two-factor/code/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.get_by_label("Security code").fill(code_for(device))
        page.get_by_role("button", name="Continue").click()
    elif "/accounts/two-factor/set-up/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=False)
        page.get_by_label("Code from the app").fill(code_for(device))
        page.get_by_role("button", name="Finish setting up").click()
        page.get_by_role("link", name="I have saved my codes").click()
    page.wait_for_url(lambda url: "/accounts/two-factor/" not in url)
