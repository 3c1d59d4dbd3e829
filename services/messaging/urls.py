from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("klienter/<int:pk>/lenke/<int:handover_pk>/send/", views.send, name="send"),
    path("klienter/<int:pk>/lenke/<int:handover_pk>/avbryt/", views.cancel, name="cancel"),
]
