from django.urls import path

from chiso.web.submissions import views

app_name = "submissions"
urlpatterns = [
    path("<int:pk>/", views.form, name="form"),
]
