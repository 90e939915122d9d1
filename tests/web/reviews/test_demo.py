"""The demo lets a person review a unit: the demo reviewer has the departments' block."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from chiso.web.accounts.models import User
from chiso.web.cycles.models import Cycle
from chiso.web.reviews.models import Assignment, Stage
from chiso.web.reviews.services import change_stage


def test_demo_reviewer_reviews_the_departments_and_seeding_again_keeps_it(db: None) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    reviewer = User.objects.get(username="reviewer")
    assigned = Assignment.objects.filter(reviewer=reviewer)
    assert assigned.count() == 21
    assert set(assigned.values_list("participation__block", flat=True)) == {"so"}
    cycle = Cycle.objects.get()
    change_stage(cycle, Stage.ROUND_1, by=User.objects.get(username="admin"))
    client = Client()
    client.force_login(reviewer)
    queue = client.get(reverse("reviews:queue", args=[cycle.pk]))
    # 21 departments, of which 3 have only a draft (Sở Tư pháp, Sở Y tế, Sở Giao thông vận tải)
    assert queue.context["queue"].counts == {"todo": 18, "in_progress": 0, "done": 0, "nothing": 0}
    unit = queue.context["todo"][0].participation
    assert client.get(reverse("reviews:review", args=[unit.pk])).status_code == 200
