from django.urls import path

from chiso.web.cycles import views

app_name = "cycles"
urlpatterns = [
    path("", views.cycle_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/state/", views.state, name="state"),
    path("people/", views.people, name="people"),
    path("people/template.xlsx", views.people_template, name="people_template"),
]
