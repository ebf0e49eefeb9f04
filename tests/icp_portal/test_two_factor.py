"""Two-factor sign-in (docs/accounts.md): required for portal administrators, secretariats and
chairs, offered to members. These tests sign in through the real pages: the password, then the
code an authenticator app would show (computed from the device's key), or a recovery code."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from meetings import services as meeting_services
from meetings.factories import AgendaItemFactory, MeetingFactory
from membership.factories import SecretariatAssignmentFactory, UserFactory
from membership.permissions import MANAGE, VIEW_EXEMPT, permissions_sync, two_factor_required, user_can
from tests.two_factor import authenticator_for, code_for, wrong_code

User = get_user_model()
PASSWORD = "a-test-password"


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def give_code(client, code, next_url=""):
    url = reverse("two_factor_verify") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"code": code})


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", is_staff=True, is_superuser=True)


def dashboard(cast):
    return reverse("workspace:dashboard", args=[cast.partnership.slug])


# Who must


def test_who_must_use_a_second_factor(cast, administrator):
    assert two_factor_required(cast.secretariat)
    assert two_factor_required(cast.chair) and two_factor_required(cast.co_chair)
    assert two_factor_required(administrator)
    assert not two_factor_required(cast.member)
    assert not two_factor_required(cast.stranger)


def test_an_administrator_must_even_on_an_empty_portal(administrator):
    assert two_factor_required(administrator)


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("secretariat", "dashboard"),
        ("chair", "strategy"),
        ("co_chair", "strategy"),
        ("administrator", "admin"),
    ],
)
def test_each_role_that_must_is_sent_to_set_up_and_kept_out_until_it_does(client, cast, administrator, who, page):
    user = administrator if who == "administrator" else getattr(cast, who)
    response = sign_in(client, user.username)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    url = {
        "dashboard": dashboard(cast),
        "strategy": reverse("strategy:workspace", args=[cast.partnership.slug]),
        "admin": reverse("admin:index"),
    }[page]
    refused = client.get(url)
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("two_factor_setup"))
    # Signed in, but holding nothing until the second factor is given.
    assert client.get(reverse("home")).context["user"] == user
    assert not client.get(reverse("two_factor_setup")).context["user"].is_verified()


def test_a_secretariat_with_an_app_is_asked_for_its_code_and_gets_in_with_the_right_one(client, cast):
    device = authenticator_for(cast.secretariat)
    response = sign_in(client, "secretariat")
    assert response["Location"] == f"{reverse('two_factor_verify')}?next=%2Fworkspace%2F"
    assert client.get(dashboard(cast))["Location"].startswith(reverse("two_factor_verify"))
    page = client.get(response["Location"])
    assert "Enter your security code" in text(page)
    response = give_code(client, code_for(device), dashboard(cast))
    assert response.status_code == 302 and response["Location"] == dashboard(cast)
    assert client.get(dashboard(cast)).status_code == 200


def test_a_wrong_code_is_refused(client, cast):
    device = authenticator_for(cast.secretariat)
    sign_in(client, "secretariat")
    response = give_code(client, wrong_code(device))
    assert response.status_code == 200
    assert "There is a problem" in text(response) and "The code is not right" in text(response)
    assert client.get(dashboard(cast)).status_code == 302
    for nonsense in ("", "abc", "12345678901234567890"):
        assert give_code(client, nonsense).status_code == 200


def test_wrong_codes_are_throttled_then_a_right_one_works_after_the_wait(client, cast):
    """django-otp doubles the wait after each wrong code (1, 2, 4… seconds): guessing a 6-digit
    code takes ages. Even the right code is refused while the wait lasts."""
    device = authenticator_for(cast.secretariat)
    sign_in(client, "secretariat")
    give_code(client, wrong_code(device))
    response = give_code(client, wrong_code(device))  # within the first wait: refused as too soon
    response = give_code(client, code_for(device))
    assert "too many wrong codes" in text(response)
    assert client.get(dashboard(cast)).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1
    # After the wait, the right code works, and the count starts again.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=10)
    )
    response = give_code(client, code_for(device))
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert client.get(dashboard(cast)).status_code == 200


def test_the_wait_doubles_with_each_wrong_code(cast):
    from icp_portal.two_factor import CodeRefused, second_factor_check

    device = authenticator_for(cast.secretariat)
    waits = []
    for _ in range(4):
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=timezone.now() - dt.timedelta(days=1)
        )
        with pytest.raises(CodeRefused):
            second_factor_check(user=cast.secretariat, code=wrong_code(device))
        device.refresh_from_db()
        allowed, info = device.verify_is_allowed()
        assert not allowed
        waits.append(round((info["locked_until"] - device.throttling_failure_timestamp).total_seconds()))
    assert waits == [1, 2, 4, 8]


def test_setting_up_an_app_at_first_sign_in(client, cast):
    """No JavaScript needed: the secret in text, the otpauth address, and a QR code drawn as inline
    SVG on the server, under the same Content Security Policy as every page."""
    response = sign_in(client, "secretariat")
    page = client.get(response["Location"])
    body = text(page)
    device = TOTPDevice.objects.get(user=cast.secretariat, confirmed=False)
    assert "otpauth://totp/ICP%20Portal%3Asecretariat?secret=" in body
    secret = re.search(r"secret=([A-Z2-7]+)", body).group(1)
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in body
    assert '<svg role="img"' in body and "<script>" not in body
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert "style=" not in svg
    assert "default-src 'self'" in page["Content-Security-Policy"]
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]
    # The same secret until it is confirmed: reloading does not change what was scanned.
    assert secret in text(client.get(response["Location"]))

    refused = client.post(response["Location"], {"code": wrong_code(device)})
    assert "The code is not right" in text(refused)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    done = client.post(response["Location"], {"code": code_for(device)})
    assert done.status_code == 302 and done["Location"].startswith(reverse("two_factor_recovery_codes"))
    device.refresh_from_db()
    assert device.confirmed
    codes_page = text(client.get(done["Location"]))
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", codes_page)
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=cast.secretariat).values_list("token", flat=True))
    # Shown once.
    assert not re.findall(r"<li><code>", text(client.get(done["Location"])))
    assert client.get(dashboard(cast)).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.two_factor.set_up", actor=cast.secretariat).exists()


def test_a_recovery_code_works_once(client, cast):
    device = authenticator_for(cast.secretariat)
    from icp_portal.two_factor import _recovery_codes_issue

    codes = _recovery_codes_issue(cast.secretariat)
    sign_in(client, "secretariat")
    response = give_code(client, codes[0].upper()[:4] + " " + codes[0][4:])  # as people type them
    assert response.status_code == 302
    assert client.get(dashboard(cast)).status_code == 200
    assert StaticToken.objects.filter(device__user=cast.secretariat).count() == 9
    assert AuditEvent.objects.filter(action="accounts.two_factor.recovery_code_used").exists()

    client.post(reverse("logout"))
    sign_in(client, "secretariat")
    response = give_code(client, codes[0])
    assert response.status_code == 200 and "The code is not right" in text(response)
    assert client.get(dashboard(cast)).status_code == 302
    StaticDevice.objects.filter(user=cast.secretariat).update(throttling_failure_timestamp=None)
    assert give_code(client, codes[1]).status_code == 302
    assert device.pk  # the app stays set up


def test_verifying_starts_a_new_session(client, cast):
    device = authenticator_for(cast.secretariat)
    sign_in(client, "secretariat")
    before = client.session.session_key
    give_code(client, code_for(device))
    assert client.session.session_key != before


def test_a_code_page_ignores_a_next_address_on_another_site(client, cast):
    device = authenticator_for(cast.secretariat)
    sign_in(client, "secretariat")
    response = give_code(client, code_for(device), "https://evil.example/")
    assert response["Location"] == reverse("workspace:home")


@pytest.mark.password_only
def test_a_password_alone_holds_no_rights_anywhere(client, cast):
    """Public pages stay open to a secretariat that has not given its code, showing what the
    public sees: the rights wait for the second factor."""
    meeting = MeetingFactory(partnership=cast.partnership, starts_at=timezone.now() + dt.timedelta(days=30))
    AgendaItemFactory(meeting=meeting, position=1, exempt=True, title="Contract award", presenter="Jo Secret")
    meeting_services.agenda_publish(meeting=meeting, actor=None)
    client.force_login(cast.secretariat)  # the password only: this test is marked password_only
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 200
    assert "Contract award" in text(page) and "Jo Secret" not in text(page)
    request_user = page.context["user"]
    assert not user_can(request_user, VIEW_EXEMPT, cast.partnership)
    assert not user_can(request_user, MANAGE, cast.partnership)
    # A refused POST changes nothing.
    membership = cast.partnership.memberships.get(person__user=cast.member)
    response = client.post(
        reverse("workspace:membership_end", args=[cast.partnership.slug, membership.pk]),
        {"end_date": timezone.localdate().isoformat(), "end_reason": "Removed"},
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_setup"))
    membership.refresh_from_db()
    assert membership.end_date is None

    authenticator_for(cast.secretariat)
    give_code(client, code_for(TOTPDevice.objects.get(user=cast.secretariat)))
    assert "Jo Secret" in text(client.get(meeting.get_absolute_url()))


def test_a_password_alone_cannot_move_the_second_factor_to_another_phone(client, cast):
    authenticator_for(cast.secretariat)
    sign_in(client, "secretariat")
    for name in ("two_factor_setup", "two_factor_recovery_codes", "two_factor"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify")), name
    assert client.post(reverse("two_factor_recovery_codes")).status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.secretariat, confirmed=False).exists()
    assert not StaticDevice.objects.filter(user=cast.secretariat).exists()


def test_a_verified_user_replaces_the_app_and_renews_recovery_codes(client, cast):
    old = authenticator_for(cast.secretariat)
    sign_in(client, "secretariat")
    give_code(client, code_for(old))
    client.get(reverse("two_factor_setup"))
    new = TOTPDevice.objects.get(user=cast.secretariat, confirmed=False)
    client.post(reverse("two_factor_setup"), {"code": code_for(new)})
    assert list(TOTPDevice.objects.filter(user=cast.secretariat)) == [new]
    first = set(StaticToken.objects.filter(device__user=cast.secretariat).values_list("token", flat=True))
    client.post(reverse("two_factor_recovery_codes"))
    page = text(client.get(reverse("two_factor_recovery_codes")))
    second = set(re.findall(r"<li><code>([a-z2-7]+)</code></li>", page))
    assert len(second) == 10 and not first & second
    assert AuditEvent.objects.filter(action="accounts.two_factor.replaced").exists()


def test_becoming_secretariat_mid_session_needs_the_second_factor_at_once(client, cast):
    response = sign_in(client, "member")
    assert response["Location"] == reverse("workspace:home")
    assert client.get(reverse("workspace:home")).status_code == 200
    SecretariatAssignmentFactory(partnership=cast.partnership, user=cast.member)
    permissions_sync(cast.partnership)
    response = client.get(dashboard(cast))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_setup"))


# Members


def test_members_are_not_forced(client, cast):
    response = sign_in(client, "member")
    assert response.status_code == 302 and response["Location"] == reverse("workspace:home")
    home = client.get(reverse("workspace:home"))
    assert home.status_code == 200
    assert user_can(home.context["user"], VIEW_EXEMPT, cast.partnership)
    assert reverse("two_factor") in text(home)  # offered


def test_a_member_may_turn_it_on_and_is_then_asked_for_a_code(client, cast):
    sign_in(client, "member")
    assert "Two-factor sign-in is off" in text(client.get(reverse("two_factor")))
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=cast.member)
    client.post(reverse("two_factor_setup"), {"code": code_for(device)})
    client.post(reverse("logout"))

    response = sign_in(client, "member")
    assert response["Location"].startswith(reverse("two_factor_verify"))
    # Until the code is given, the member holds nothing either.
    assert not user_can(client.get(reverse("home")).context["user"], VIEW_EXEMPT, cast.partnership)
    give_code(client, code_for(device))
    assert user_can(client.get(reverse("home")).context["user"], VIEW_EXEMPT, cast.partnership)
    # And may turn it off again.
    client.post(reverse("two_factor_turn_off"))
    assert not TOTPDevice.objects.filter(user=cast.member).exists()
    assert AuditEvent.objects.filter(action="accounts.two_factor.turned_off").exists()


def test_someone_who_must_cannot_turn_it_off(client, cast):
    device = authenticator_for(cast.secretariat)
    sign_in(client, "secretariat")
    give_code(client, code_for(device))
    assert "cannot be turned off" in text(client.get(reverse("two_factor")))
    client.post(reverse("two_factor_turn_off"))
    assert TOTPDevice.objects.filter(user=cast.secretariat).exists()


# Django admin


def test_django_admin_needs_a_verified_second_factor(client, administrator):
    device = authenticator_for(administrator)
    # The admin's own sign-in form, then the portal's code page.
    response = client.post(
        reverse("admin:login") + "?next=/admin/", {"username": "administrator", "password": PASSWORD}
    )
    assert response.status_code == 302
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify"))
    give_code(client, code_for(device))
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.password_only
def test_the_admin_site_itself_refuses_an_unverified_administrator(client, administrator, settings):
    """Even without the middleware, the site checks the second factor (as django-otp's
    OTPAdminSite does) and sends the administrator to give it."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "icp_portal.two_factor.SecondFactorMiddleware"]
    client.force_login(administrator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_setup"))
    authenticator_for(administrator)
    give_code(client, code_for(TOTPDevice.objects.get(user=administrator)))
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_never_shows_an_authenticators_secret(client, administrator, cast):
    device = authenticator_for(cast.secretariat)
    client.force_login(administrator)
    page = text(client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])))
    assert device.key not in page
    assert client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk])).status_code == 403
