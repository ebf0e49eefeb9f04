"""The strategy's public pages and its workspace pages."""

from django.urls import path

from .views import public, staff

app_name = "strategy"

PUBLIC = "partnerships/<slug:slug>/strategy/"
STAFF = "workspace/<slug:slug>/strategy/"
VERSION = STAFF + "versions/<int:number>/"
PRIORITY = VERSION + "priorities/<int:pk>/"

urlpatterns = [
    # Public pages.
    path(PUBLIC, public.strategy, name="public"),
    path(PUBLIC + "versions/", public.versions, name="public_versions"),
    path(PUBLIC + "versions/<int:number>/", public.version, name="public_version"),
    path(PUBLIC + "versions/<int:number>/priorities/<int:pk>/", public.priority, name="public_priority"),
    path(PUBLIC + "compare/", public.compare, name="public_compare"),
    path(PUBLIC + "evidence/<uuid:token>/", public.evidence_file, name="evidence_file"),
    # The workspace.
    path(STAFF, staff.workspace, name="workspace"),
    path(STAFF + "start/", staff.strategy_start, name="start"),
    path(STAFF + "new-draft/", staff.new_draft, name="new_draft"),
    path(STAFF + "compare/", staff.compare, name="compare"),
    path(STAFF + "evidence/", staff.evidence_list, name="evidence"),
    path(STAFF + "evidence/add/", staff.evidence_add, name="evidence_add"),
    path(STAFF + "evidence/<int:pk>/edit/", staff.evidence_edit, name="evidence_edit"),
    path(STAFF + "evidence/<uuid:token>/file/", staff.evidence_file, name="evidence_file_staff"),
    path(VERSION, staff.version_detail, name="version"),
    path(VERSION + "details/", staff.version_edit, name="version_edit"),
    path(VERSION + "submit/", staff.version_submit, name="submit"),
    path(VERSION + "review/", staff.version_review, name="review"),
    path(VERSION + "approval/", staff.approval_settle, name="settle"),
    path(VERSION + "publish/", staff.version_publish, name="publish"),
    path(VERSION + "sections/add/", staff.section_add, name="section_add"),
    path(VERSION + "sections/<int:pk>/edit/", staff.section_edit, name="section_edit"),
    path(VERSION + "sections/<int:pk>/move/", staff.section_move, name="section_move"),
    path(VERSION + "sections/<int:pk>/remove/", staff.section_remove, name="section_remove"),
    path(VERSION + "priorities/add/", staff.priority_add, name="priority_add"),
    path(PRIORITY + "edit/", staff.priority_edit, name="priority_edit"),
    path(PRIORITY + "move/", staff.priority_move, name="priority_move"),
    path(PRIORITY + "remove/", staff.priority_remove, name="priority_remove"),
    path(PRIORITY + "measures/add/", staff.measure_add, name="measure_add"),
    path(PRIORITY + "measures/<int:measure_pk>/edit/", staff.measure_edit, name="measure_edit"),
    path(PRIORITY + "measures/<int:measure_pk>/remove/", staff.measure_remove, name="measure_remove"),
    path(PRIORITY + "delivery/", staff.delivery, name="delivery"),
    path(PRIORITY + "delivery/<int:link_pk>/remove/", staff.delivery_unlink, name="delivery_unlink"),
    path(VERSION + "engagement/add/", staff.engagement_add, name="engagement_add"),
    path(VERSION + "engagement/<int:pk>/edit/", staff.engagement_edit, name="engagement_edit"),
    path(VERSION + "engagement/<int:pk>/remove/", staff.engagement_remove, name="engagement_remove"),
]
