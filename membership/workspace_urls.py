"""The secretariat workspace, mounted at /workspace/ (see `membership.workspace`)."""

from django.urls import path

from . import workspace_accounts as account_views
from . import workspace_onboarding as onboarding_views
from .workspace import (
    audit,
    bulk_import,
    chairs,
    interests,
    memberships,
    overview,
    partnership_details,
    people,
    secretariat,
)

app_name = "workspace"

urlpatterns = [
    path("", overview.home, name="home"),
    # Two segments, so no partnership's slug can shadow it.
    path("partnerships/add/", onboarding_views.partnership_create, name="partnership_create"),
    path("<slug:slug>/", overview.dashboard, name="dashboard"),
    path("<slug:slug>/past-members/", memberships.past_members, name="past_members"),
    path("<slug:slug>/details/", partnership_details.partnership_edit, name="partnership_edit"),
    path("<slug:slug>/audit/", audit.audit_trail, name="audit"),
    path("<slug:slug>/people/add/", people.person_add, name="person_add"),
    path("<slug:slug>/people/<slug:person_slug>/", people.person_detail, name="person"),
    path("<slug:slug>/people/<slug:person_slug>/edit/", people.person_edit, name="person_edit"),
    path("<slug:slug>/people/<slug:person_slug>/interests/add/", interests.interest_add, name="interest_add"),
    path("<slug:slug>/people/<slug:person_slug>/nil-return/", interests.nil_return_add, name="nil_return_add"),
    path("<slug:slug>/people/<slug:person_slug>/invite/", account_views.invitation_send, name="invitation_send"),
    path(
        "<slug:slug>/people/<slug:person_slug>/account/deactivate/",
        account_views.account_deactivate,
        name="account_deactivate",
    ),
    path(
        "<slug:slug>/people/<slug:person_slug>/account/reactivate/",
        account_views.account_reactivate,
        name="account_reactivate",
    ),
    path("<slug:slug>/invitations/<int:pk>/resend/", account_views.invitation_resend, name="invitation_resend"),
    path("<slug:slug>/invitations/<int:pk>/withdraw/", account_views.invitation_revoke, name="invitation_revoke"),
    path("<slug:slug>/memberships/add/", memberships.membership_add, name="membership_add"),
    path("<slug:slug>/memberships/import/", bulk_import.import_upload, name="import_upload"),
    path("<slug:slug>/memberships/import/preview/", bulk_import.import_preview, name="import_preview"),
    path("<slug:slug>/memberships/<int:pk>/end/", memberships.membership_end, name="membership_end"),
    path("<slug:slug>/chairs/appoint/", chairs.chair_appoint, name="chair_appoint"),
    path("<slug:slug>/chairs/<int:pk>/end/", chairs.chair_end, name="chair_end"),
    path("<slug:slug>/secretariat/assign/", secretariat.secretariat_assign, name="secretariat_assign"),
    path("<slug:slug>/secretariat/invite/", onboarding_views.secretariat_invite, name="secretariat_invite"),
    path("<slug:slug>/organisations/", onboarding_views.organisations, name="organisations"),
    path("<slug:slug>/organisations/add/", onboarding_views.organisation_add, name="organisation_add"),
    path("<slug:slug>/organisations/<int:pk>/edit/", onboarding_views.organisation_edit, name="organisation_edit"),
    path("<slug:slug>/organisations/<int:pk>/end/", onboarding_views.organisation_end, name="organisation_end"),
    path(
        "<slug:slug>/people/<slug:person_slug>/interests/<int:pk>/end/",
        onboarding_views.interest_end,
        name="interest_end",
    ),
    path("<slug:slug>/secretariat/<int:pk>/end/", secretariat.secretariat_end, name="secretariat_end"),
]
