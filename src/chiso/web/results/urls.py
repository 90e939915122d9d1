from django.urls import path

from chiso.web.results import views

app_name = "results"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.cycle_results, name="cycle"),
    path("<int:pk>/draft-status/", views.draft_status, name="draft_status"),
    path("<int:pk>/charts/<slug:key>.png", views.chart, name="chart"),
    path("<int:pk>/units/<int:unit_pk>/", views.scorecard, name="scorecard"),
    path("<int:pk>/units/<int:unit_pk>/provenance/", views.provenance, name="provenance"),
    path("<int:pk>/units/<int:unit_pk>/chart.png", views.scorecard_chart, name="scorecard_chart"),
    path("<int:pk>/ket-qua.<str:fmt>", views.document, name="document"),
    path("<int:pk>/ket-qua.<str:fmt>/prepare/", views.prepare_document, name="prepare_document"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("<int:pk>/public-scorecards/", views.public_scorecards, name="public_scorecards"),
    path("<int:pk>/previous/", views.import_previous, name="import_previous"),
]
