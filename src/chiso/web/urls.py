from django.contrib import admin
from django.urls import include, path

from chiso.web.console import urls as console
from chiso.web.cycles import urls as cycles

urlpatterns = [
    path("", include(console.urlpatterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("chiso.web.accounts.urls")),
    # the cycles app's pages and the console's dashboard of a cycle share /cycles/ and the
    # names cycles:… (the project's URLconf is the one place above both apps)
    path("cycles/", include((cycles.urlpatterns + console.cycle_pages, "cycles"))),
    path("submissions/", include("chiso.web.submissions.urls")),
    path("reviews/", include("chiso.web.reviews.urls")),
    path("results/", include("chiso.web.results.urls")),
    path("notifications/", include("chiso.web.notifications.urls")),
    path("jobs/", include("chiso.web.jobs.urls")),
    path("api/", include("chiso.web.api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "chiso.web.errors.bad_request"
handler403 = "chiso.web.errors.permission_denied"
handler404 = "chiso.web.errors.page_not_found"
handler500 = "chiso.web.errors.server_error"
