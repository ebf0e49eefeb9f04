"""The record of meetings: the secretariat's pages (under /workspace/, beside the
partnership workspace) and the public decisions register and action log."""

from django.urls import include, path

from .views import record as views

app_name = "record"

meeting_patterns = [
    path("", views.meeting_record, name="meeting"),
    path("attendance/", views.attendance, name="attendance"),
    path("attendance/add/", views.attendance_add, name="attendance_add"),
    path("declarations/", views.declarations, name="declarations"),
    path("declarations/new/", views.declaration_add, name="declaration_add"),
    path("declarations/<int:declaration_pk>/remove/", views.declaration_remove, name="declaration_remove"),
    path("minutes/", views.minutes, name="minutes"),
    path("minutes/start/", views.minutes_start, name="minutes_start"),
    path("minutes/<int:version>/", views.minutes_version, name="minutes_version"),
    path("minutes/<int:version>/items/<int:item_pk>/", views.minutes_entry, name="minutes_entry"),
    path("minutes/<int:version>/publish/", views.minutes_publish, name="minutes_publish"),
    path("minutes/<int:version>/approve/", views.minutes_approve, name="minutes_approve"),
    path("minutes/<int:version>/correct/", views.minutes_correct, name="minutes_correct"),
    path("decisions/", views.decisions, name="decisions"),
    path("actions/", views.actions, name="actions"),
]

urlpatterns = [
    path("workspace/<slug:slug>/meetings/<int:pk>/record/", include(meeting_patterns)),
    path("workspace/<slug:slug>/decisions/", views.decision_register, name="decision_register"),
    path("workspace/<slug:slug>/decisions/<int:decision_pk>/", views.decision_edit, name="decision_edit"),
    path("workspace/<slug:slug>/actions/", views.action_log, name="action_log"),
    path("workspace/<slug:slug>/actions/<int:action_pk>/", views.action_detail, name="action"),
    path("workspace/<slug:slug>/actions/<int:action_pk>/update/", views.action_update, name="action_update"),
    path("partnerships/<slug:slug>/decisions/", views.public_decisions, name="public_decisions"),
    path("partnerships/<slug:slug>/actions/", views.public_actions, name="public_actions"),
]
