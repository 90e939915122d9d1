from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from chiso.web.accounts.access import AuthedRequest, get_participation
from chiso.web.submissions.scoring import live_result
from chiso.web.submissions.services import submission_for


@login_required
def form(request: AuthedRequest, pk: int) -> HttpResponse:
    """The self-assessment of one unit in one cycle."""
    participation = get_participation(request.user, pk)
    submission = submission_for(participation)
    framework = participation.cycle.framework.framework
    maxima = framework.max_for(participation.block)
    answers = {a.code: a for a in submission.answers.all()}
    rows = [
        (node, maxima[node.code], answers.get(node.code))
        for root in framework.criteria
        for node in root.walk()
        if node.code in maxima
    ]
    context = {
        "participation": participation,
        "submission": submission,
        "rows": rows,
        "result": live_result(submission),
    }
    return render(request, "submissions/form.html", context)
