from django.urls import path

from chiso.web.reviews import views

app_name = "reviews"
urlpatterns = [
    path("cycle/<int:pk>/", views.overview, name="overview"),
    path("cycle/<int:pk>/stage/", views.stage, name="stage"),
    path("cycle/<int:pk>/overclaim/", views.overclaim, name="overclaim"),
    path("cycle/<int:pk>/assign/", views.assign, name="assign"),
    path("cycle/<int:pk>/assign-units/", views.assign_units, name="assign_units"),
    path("cycle/<int:pk>/unit-choices/", views.unit_choices, name="unit_choices"),
    path("assignment/<int:pk>/remove/", views.unassign, name="unassign"),
    path("cycle/<int:pk>/queue/", views.queue, name="queue"),
    path("unit/<int:pk>/", views.review, name="review"),
    path("unit/<int:pk>/verify/<str:code>/", views.verify, name="verify"),
    path("unit/<int:pk>/accept/<str:group>/", views.accept, name="accept"),
    path("unit/<int:pk>/history/", views.history, name="history"),
    path("unit/<int:pk>/overclaim/", views.unit_overclaim_page, name="unit_overclaim"),
    path("unit/<int:pk>/respond/<str:code>/", views.respond, name="respond"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("response-file/<int:pk>/", views.response_file, name="response_file"),
]
