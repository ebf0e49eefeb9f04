from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("changes/", views.changes, name="changes"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
    path("systems/<slug:slug>/", views.system_detail, name="system"),
    path("systems/<slug:slug>/places/<slug:place_slug>/", views.place_detail, name="place"),
]
