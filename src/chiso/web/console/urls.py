"""The console's pages: the start page (``home``) and the site's icon; the dashboard of a
cycle and its actions, whose addresses and names are under /cycles/ (``cycles:dashboard``…):
the project's URLconf puts them beside the cycles app's own pages, in the one ``cycles``
namespace."""

from django.urls import path

from chiso.web.console import crosswalk, lineage, trail, views, workbooks

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
]

cycle_pages = [
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("<int:pk>/export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("<int:pk>/export.<str:fmt>/prepare/", views.export_prepare, name="export_prepare"),
    path("<int:pk>/workbooks.zip", workbooks.download, name="workbooks"),
    path("<int:pk>/workbooks/", workbooks.check, name="workbooks_check"),
    path("workbooks/<int:pk>/", workbooks.job_page, name="workbooks_job"),
    path("workbooks/<int:pk>/save/", workbooks.save, name="workbooks_save"),
    path("<int:pk>/reopen/<int:submission_pk>/", views.reopen, name="reopen"),
    path("<int:pk>/lineage/", lineage.page, name="lineage"),
    path("<int:pk>/crosswalk/", crosswalk.page, name="crosswalk"),
    path("<int:pk>/audit/", trail.audit, name="audit"),
    path("<int:pk>/audit.csv", trail.audit_export, {"fmt": "csv"}, name="audit_csv"),
    path("<int:pk>/audit.xlsx", trail.audit_export, {"fmt": "xlsx"}, name="audit_xlsx"),
]
