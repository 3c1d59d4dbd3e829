from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("oversikt/<slug:code>/kommentarer/", views.leader_comments, name="leader"),
]
