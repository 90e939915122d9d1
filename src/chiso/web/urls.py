from django.contrib import admin
from django.urls import include, path

from chiso.web.accounts import views as accounts

urlpatterns = [
    path("", accounts.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("chiso.web.accounts.urls")),
    path("cycles/", include("chiso.web.cycles.urls")),
    path("submissions/", include("chiso.web.submissions.urls")),
    path("reviews/", include("chiso.web.reviews.urls")),
    path("results/", include("chiso.web.results.urls")),
    path("api/", include("chiso.web.api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "chiso.web.errors.bad_request"
handler403 = "chiso.web.errors.permission_denied"
handler404 = "chiso.web.errors.page_not_found"
handler500 = "chiso.web.errors.server_error"
