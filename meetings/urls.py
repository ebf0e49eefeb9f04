from django.urls import path

from . import feeds
from .views import agenda, consultations, exemptions, public, staff

app_name = "meetings"

STAFF = "workspace/<slug:slug>/meetings/"
MEETING = STAFF + "<int:pk>/"

urlpatterns = [
    # Public pages and feeds.
    path("partnerships/<slug:slug>/meetings/", public.meeting_list, name="list"),
    path("partnerships/<slug:slug>/meetings/<int:pk>/", public.meeting_detail, name="meeting"),
    path("partnerships/<slug:slug>/meetings.ics", feeds.partnership_calendar, name="calendar"),
    path("partnerships/<slug:slug>/feed/", feeds.publications_feed, name="feed"),
    path("systems/<slug:slug>/meetings.ics", feeds.system_calendar, name="system_calendar"),
    path("systems/<slug:slug>/feed/", feeds.system_publications_feed, name="system_feed"),
    path("meetings.ics", feeds.national_calendar, name="national_calendar"),
    path("feed/", feeds.national_publications_feed, name="national_feed"),
    path("papers/<uuid:token>/", public.paper_download, name="paper"),
    path("partnerships/<slug:slug>/papers/<int:pk>/", public.paper_page, name="paper_page"),
    # The secretariat's pages.
    path(STAFF, staff.meeting_list, name="staff_list"),
    path(STAFF + "new/", staff.meeting_schedule, name="staff_schedule"),
    path(STAFF + "days/new/", staff.meetings_day_create, name="staff_day_create"),
    path(STAFF + "series/new/", staff.series_create, name="staff_series_create"),
    path(STAFF + "series/<int:pk>/", staff.series_detail, name="staff_series"),
    path(MEETING, agenda.meeting_detail, name="staff_meeting"),
    path(MEETING + "edit/", agenda.meeting_edit, name="staff_meeting_edit"),
    path(MEETING + "cancel/", agenda.meeting_cancel, name="staff_meeting_cancel"),
    path(MEETING + "publish/", agenda.agenda_publish, name="staff_publish"),
    path(MEETING + "items/new/", agenda.item_add, name="staff_item_add"),
    path(MEETING + "items/standard/", agenda.standard_items_add, name="staff_standard_items"),
    path(MEETING + "items/<int:item_pk>/edit/", agenda.item_edit, name="staff_item_edit"),
    path(MEETING + "items/<int:item_pk>/move/", agenda.item_move, name="staff_item_move"),
    path(MEETING + "items/<int:item_pk>/remove/", agenda.item_remove, name="staff_item_remove"),
    path(MEETING + "items/<int:item_pk>/withdraw/", agenda.item_withdraw, name="staff_item_withdraw"),
    path(MEETING + "items/<int:item_pk>/papers/new/", agenda.paper_upload, name="staff_paper_upload"),
    path(MEETING + "papers/<int:paper_pk>/replace/", agenda.paper_replace, name="staff_paper_replace"),
    path(MEETING + "papers/<int:paper_pk>/edit/", agenda.paper_edit, name="staff_paper_edit"),
    # One report through many bodies (meetings.consultations).
    path(MEETING + "items/<int:item_pk>/papers/reuse/", consultations.paper_reuse, name="staff_paper_reuse"),
    path(MEETING + "papers/<int:paper_pk>/considerations/", consultations.paper_path, name="staff_paper_path"),
    path(
        MEETING + "considerations/<int:consideration_pk>/",
        consultations.consideration_record,
        name="staff_consideration",
    ),
    path(
        MEETING + "considerations/<int:consideration_pk>/remove/",
        consultations.consideration_remove,
        name="staff_consideration_remove",
    ),
    # Exemptions over time: review, extend, release (meetings.exemptions).
    path("workspace/<slug:slug>/exemptions/", exemptions.exemption_list, name="staff_exemptions"),
    path("workspace/<slug:slug>/exemptions/items/<int:pk>/", exemptions.exemption_item, name="staff_exemption_item"),
    path("workspace/<slug:slug>/exemptions/papers/<int:pk>/", exemptions.exemption_paper, name="staff_exemption_paper"),
]
