"""The strategy's public pages and its workspace pages."""

from django.urls import path

from .views import approval, delivery, engagement, evidence, priorities, public, sections, workspace

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
    path(STAFF, workspace.workspace, name="workspace"),
    path(STAFF + "start/", workspace.strategy_start, name="start"),
    path(STAFF + "new-draft/", workspace.new_draft, name="new_draft"),
    path(STAFF + "compare/", workspace.compare, name="compare"),
    path(STAFF + "evidence/", evidence.evidence_list, name="evidence"),
    path(STAFF + "evidence/add/", evidence.evidence_add, name="evidence_add"),
    path(STAFF + "evidence/<int:pk>/edit/", evidence.evidence_edit, name="evidence_edit"),
    path(STAFF + "evidence/<uuid:token>/file/", evidence.evidence_file, name="evidence_file_staff"),
    path(VERSION, workspace.version_detail, name="version"),
    path(VERSION + "details/", workspace.version_edit, name="version_edit"),
    path(VERSION + "submit/", approval.version_submit, name="submit"),
    path(VERSION + "review/", approval.version_review, name="review"),
    path(VERSION + "approval/", approval.approval_settle, name="settle"),
    path(VERSION + "publish/", approval.version_publish, name="publish"),
    path(VERSION + "sections/add/", sections.section_add, name="section_add"),
    path(VERSION + "sections/<int:pk>/edit/", sections.section_edit, name="section_edit"),
    path(VERSION + "sections/<int:pk>/move/", sections.section_move, name="section_move"),
    path(VERSION + "sections/<int:pk>/remove/", sections.section_remove, name="section_remove"),
    path(VERSION + "priorities/add/", priorities.priority_add, name="priority_add"),
    path(PRIORITY + "edit/", priorities.priority_edit, name="priority_edit"),
    path(PRIORITY + "move/", priorities.priority_move, name="priority_move"),
    path(PRIORITY + "remove/", priorities.priority_remove, name="priority_remove"),
    path(PRIORITY + "measures/add/", priorities.measure_add, name="measure_add"),
    path(PRIORITY + "measures/<int:measure_pk>/edit/", priorities.measure_edit, name="measure_edit"),
    path(PRIORITY + "measures/<int:measure_pk>/remove/", priorities.measure_remove, name="measure_remove"),
    path(PRIORITY + "delivery/", delivery.delivery, name="delivery"),
    path(PRIORITY + "delivery/<int:link_pk>/remove/", delivery.delivery_unlink, name="delivery_unlink"),
    path(VERSION + "engagement/add/", engagement.engagement_add, name="engagement_add"),
    path(VERSION + "engagement/<int:pk>/edit/", engagement.engagement_edit, name="engagement_edit"),
    path(VERSION + "engagement/<int:pk>/remove/", engagement.engagement_remove, name="engagement_remove"),
]
