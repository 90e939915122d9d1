from django.urls import path

from chiso.web.cycles import views

app_name = "cycles"
urlpatterns = [
    path("", views.cycle_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/state/", views.state, name="state"),
    path("people/", views.people, name="people"),
    path("people/template.xlsx", views.people_template, name="people_template"),
    path("people/<int:pk>/", views.people_job, name="people_job"),
    path("people/<int:pk>/import/", views.people_apply, name="people_apply"),
    path("<int:pk>/framework.xlsx", views.framework_workbook, name="framework_workbook"),
    path("frameworks/upload/", views.framework_upload, name="framework_upload"),
    path("frameworks/example.xlsx", views.framework_example, name="framework_example"),
]
