from django.urls import path

from . import views

app_name = "membership"

urlpatterns = [
    path("partnerships/<slug:slug>/", views.partnership_detail, name="partnership"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
]
