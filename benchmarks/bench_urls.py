"""The application's URLs and the yardsticks of benchmarks/concurrent_saves.py: the same
middleware as every page, and no work of their own beyond what any save must do.

* ``bench/minimal/``: a minimal view, two bytes;
* ``bench/write/``: the least a save of an answer can be — the session and the person read,
  one answer's explanation written in a transaction (no check, no audit entry, no page).
"""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_POST

from chiso.web.submissions.models import Answer


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


@require_POST
def write(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    with transaction.atomic():
        Answer.objects.filter(pk=int(request.POST["answer"])).update(
            comment=request.POST["comment"]
        )
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/minimal/", minimal),
    path("bench/write/", write),
    path("", include("chiso.web.urls")),
]
