from django.urls import path

from . import pin_views

app_name = "accounts"
urlpatterns = [
    path("pin/", pin_views.pin, name="pin"),
]
