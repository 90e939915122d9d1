from django.urls import path

from chiso.web.cycles import views

app_name = "cycles"
urlpatterns = [
    path("", views.cycle_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/state/", views.state, name="state"),
]
