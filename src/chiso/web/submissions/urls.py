from django.urls import path

from chiso.web.submissions import views

app_name = "submissions"
urlpatterns = [
    path("<int:pk>/", views.form, name="form"),
    path("<int:pk>/answer/", views.save, name="save"),
    path("<int:pk>/answer/row/", views.answer_row, name="row"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/print/", views.print_form, name="print"),
    path("<int:pk>/workbook.xlsx", views.workbook_download, name="workbook"),
    path("<int:pk>/workbook/", views.workbook_upload, name="workbook_upload"),
    path("<int:pk>/workbook/confirm/", views.workbook_confirm, name="workbook_confirm"),
    path("<int:pk>/signed/", views.scan_upload, name="scan_upload"),
    path("<int:pk>/signed/file/", views.scan_file, name="scan_file"),
]
