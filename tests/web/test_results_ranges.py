"""How solid each rank of the draft is, on the assessor's draft results page: a rank with a
range "5 (4–7)" where the unit could have another (the published rounding, the answers not yet
settled by the review, a modest perturbation of the weights), computed with the draft's results
once per change of their data; the published results show ranks only."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from tests.web.test_results import complete_demo, logged_in, to_review

from chiso.core import score
from chiso.core.robustness import Perturbation
from chiso.reports.robustness import RANGE_TITLE
from chiso.reports.tables import Column, Section, Table
from chiso.web.accounts.models import User
from chiso.web.console.demo import create_demo
from chiso.web.cycles.models import Cycle
from chiso.web.results import ranges, services
from chiso.web.results.display import table_view
from chiso.web.reviews.models import Review, Stage, Verdict
from chiso.web.submissions.scoring import cycle_data

UNIT = "Sở Thông tin và Truyền thông"


def test_the_page_shows_the_range_beside_the_rank_and_sorts_by_the_rank() -> None:
    table = Table(
        key="1",
        number="Bảng 1",
        title="Xếp hạng",
        part=None,
        block="so",
        code=None,
        columns=(
            Column("TT", "index"),
            Column("Tên cơ quan, đơn vị", "text"),
            Column("Xếp hạng 2026", "rank"),
            Column(RANGE_TITLE, "range"),
        ),
        rows=(Section("Mức tốt"), (1, "P", 2, None), (2, "Q", 2, "2–3")),
        notes=(f"{RANGE_TITLE}: các hạng đơn vị có thể có …", "Ghi chú khác."),
    )
    view = table_view(table)
    assert [c.text for c in view.header] == ["TT", "Tên cơ quan, đơn vị", "Xếp hạng 2026"]
    cells = [[c.text for c in row.cells] for row in view.rows if row.cells]
    assert cells == [["1", "P", "2"], ["2", "Q", "2 (2–3)"]]
    assert view.rows[2].cells[2].value == "2"  # sorted by the rank
    assert not view.notes[0].startswith(RANGE_TITLE) and "5 (4–7)" in view.notes[0]
    assert view.notes[1] == "Ghi chú khác."


def rank_cells(page: str, key: str = "1") -> dict[str, str]:
    """Each unit's cell under this year's rank in a ranking table of the page."""
    table = page.split(f'id="bang-{key}"')[1].split("</table>")[0]
    header = [unescape(h) for h in re.findall(r"<th[^>]*>([^<]*)</th>", table.split("</tr>")[0])]
    at = next(i for i, h in enumerate(header) if h == "Xếp hạng 2021")
    found = {}
    for row in re.findall(r"<tr>(<td.*?)</tr>", table):
        cells = [
            unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)
        ]
        found[cells[1]] = cells[at]
    return found


@pytest.fixture
def disputed(db: None, monkeypatch: pytest.MonkeyPatch) -> Cycle:
    """The demo under review; round 1 closed with the verified I of UNIT at 0 (13 claimed):
    the unit may still respond, so the answer is disputed. The weights are not varied, so
    that a range is the rounding's and the disputed answer's only."""
    monkeypatch.setattr(ranges, "DRAFT_PERTURBATION", Perturbation(draws=5, spread=Decimal(0)))
    cycle = create_demo()
    complete_demo(cycle)
    to_review(cycle, User.objects.get(username="admin"))
    Review.objects.create(cycle=cycle, stage=Stage.RESPONSES)
    Verdict.objects.create(
        participation=cycle.participations.get(unit__name=UNIT),
        round=1,
        code="I",
        verified=True,
        value="0",
    )
    return cycle


def ranks_of(result: Any) -> dict[str, int | None]:
    return {u.unit: u.rank for b in result.blocks for u in b.units}


def test_a_disputed_answer_gives_its_unit_the_rank_it_could_have(disputed: Cycle) -> None:
    framework = disputed.framework.framework
    verified = ranks_of(services._score(disputed)[1])
    claimed = ranks_of(score(framework, cycle_data(disputed)))
    assert claimed[UNIT] is not None and verified[UNIT] is not None
    assert claimed[UNIT] < verified[UNIT]  # 13 points lost: a worse rank
    page = logged_in(User.objects.get(username="admin")).get(f"/results/{disputed.pk}/?draft")
    cells = rank_cells(page.content.decode())
    # at its claimed 13 points the unit is where the self-assessment ranks it (the others'
    # answers are settled), at 0 where the verified answer puts it
    assert cells[UNIT] == f"{verified[UNIT]} ({claimed[UNIT]}–{verified[UNIT]})"
    assert "Chỉ bản dự thảo có các khoảng hạng." in page.content.decode()


def test_the_published_results_show_ranks_only(disputed: Cycle) -> None:
    admin = User.objects.get(username="admin")
    Review.objects.filter(cycle=disputed).update(stage=Stage.FINAL)
    services.publish(disputed, by=admin)
    page = logged_in(admin).get(f"/results/{disputed.pk}/").content.decode()
    assert all(re.fullmatch(r"\d*", cell) for cell in rank_cells(page).values())
    assert RANGE_TITLE not in page


def test_a_final_review_leaves_no_answer_disputed(disputed: Cycle) -> None:
    Review.objects.filter(cycle=disputed).update(stage=Stage.FINAL)
    found = ranges.draft_robustness(disputed, *services._score(disputed))
    assert "disputed" not in found.kinds
    assert found.kinds["rounding"]  # the rounding's ranges are still computed


def test_the_ranges_are_computed_once_per_change_not_per_page_view(
    disputed: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    computed = ranges.robustness

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return computed(*args, **kwargs)

    monkeypatch.setattr(ranges, "robustness", counted)
    client = logged_in(User.objects.get(username="admin"))
    for _ in range(2):
        assert client.get(f"/results/{disputed.pk}/?draft").status_code == 200
    assert len(calls) == 1
