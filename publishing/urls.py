from django.urls import path

from . import views

app_name = "publishing"

urlpatterns = [
    path("documents/<uuid:token>/", views.download, name="download"),
    path("search/", views.search, name="search"),
    path("workspace/<slug:slug>/publications/", views.jobs, name="jobs"),
    path("workspace/<slug:slug>/publications/<int:pk>/retry/", views.retry, name="retry"),
    path("workspace/<slug:slug>/meetings/<int:pk>/documents/", views.meeting_documents, name="meeting_documents"),
]
