from django.urls import path

from . import views

app_name = "transparency"

urlpatterns = [
    path("transparency/", views.scorecard, name="scorecard"),
    path("transparency/methodology/", views.methodology, name="methodology"),
    path("transparency/scorecard.csv", views.scorecard_csv, name="scorecard_csv"),
    path("transparency/scorecard.json", views.scorecard_json, name="scorecard_json"),
    path("transparency/<slug:slug>/<slug:measure>/", views.measure, name="measure"),
]
