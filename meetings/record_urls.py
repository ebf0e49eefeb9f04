"""The record of meetings: the secretariat's pages (under /workspace/, beside the
partnership workspace) and the public decisions register and action log."""

from django.urls import include, path

from .views.record import actions, attendance, decisions, declarations, minutes, overview

app_name = "record"

meeting_patterns = [
    path("", overview.meeting_record, name="meeting"),
    path("attendance/", attendance.attendance, name="attendance"),
    path("attendance/add/", attendance.attendance_add, name="attendance_add"),
    path("declarations/", declarations.declarations, name="declarations"),
    path("declarations/new/", declarations.declaration_add, name="declaration_add"),
    path("declarations/<int:declaration_pk>/remove/", declarations.declaration_remove, name="declaration_remove"),
    path("minutes/", minutes.minutes, name="minutes"),
    path("minutes/start/", minutes.minutes_start, name="minutes_start"),
    path("minutes/<int:version>/", minutes.minutes_version, name="minutes_version"),
    path("minutes/<int:version>/items/<int:item_pk>/", minutes.minutes_entry, name="minutes_entry"),
    path("minutes/<int:version>/publish/", minutes.minutes_publish, name="minutes_publish"),
    path("minutes/<int:version>/approve/", minutes.minutes_approve, name="minutes_approve"),
    path("minutes/<int:version>/correct/", minutes.minutes_correct, name="minutes_correct"),
    path("decisions/", decisions.decisions, name="decisions"),
    path("actions/", actions.actions, name="actions"),
]

urlpatterns = [
    path("workspace/<slug:slug>/meetings/<int:pk>/record/", include(meeting_patterns)),
    path("workspace/<slug:slug>/decisions/", decisions.decision_register, name="decision_register"),
    path("workspace/<slug:slug>/decisions/<int:decision_pk>/", decisions.decision_edit, name="decision_edit"),
    path("workspace/<slug:slug>/actions/", actions.action_log, name="action_log"),
    path("workspace/<slug:slug>/actions/<int:action_pk>/", actions.action_detail, name="action"),
    path("workspace/<slug:slug>/actions/<int:action_pk>/update/", actions.action_update, name="action_update"),
    path("partnerships/<slug:slug>/decisions/", decisions.public_decisions, name="public_decisions"),
    path("partnerships/<slug:slug>/actions/", actions.public_actions, name="public_actions"),
]
