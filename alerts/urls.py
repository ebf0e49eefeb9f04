from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alerts/partnerships/<slug:slug>/", views.follow_partnership, name="follow_partnership"),
    path("alerts/systems/<slug:slug>/", views.follow_system, name="follow_system"),
    path("alerts/search/", views.follow_search, name="follow_search"),
    path("alerts/check-your-email/", views.check_email, name="check_email"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<uuid:token>/", views.unsubscribe, name="unsubscribe"),
    path("calendars/", views.calendars, name="calendars"),
]
