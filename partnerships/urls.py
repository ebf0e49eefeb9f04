from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("regions/<slug:slug>/", views.region_detail, name="region"),
    path("systems/<slug:slug>/", views.system_detail, name="system"),
]
