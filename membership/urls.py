from django.urls import path

from . import views, workspace_accounts

app_name = "membership"

urlpatterns = [
    path("partnerships/<slug:slug>/", views.partnership_detail, name="partnership"),
    path("partnerships/<slug:slug>/terms-of-reference/", views.terms_of_reference, name="terms_of_reference"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    # The link in an invitation email (membership.accounts).
    path("accounts/invitation/<str:token>/", workspace_accounts.invitation_accept, name="invitation_accept"),
]
