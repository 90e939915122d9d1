from django.urls import path

from chiso.web.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/open/", views.open_one, name="open"),
    path("read/", views.read_all, name="read_all"),
    path("settings/", views.preferences, name="preferences"),
]
