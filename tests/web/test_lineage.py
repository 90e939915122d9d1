"""The unit lineage in the web: the lineage page of a cycle, and the results that follow it.

The demo's 2021 cycle, its 2020 results imported under earlier names
(tests/data/lineage/binh-dinh-2020-ranks-old-names.csv, worked by hand in
tests/test_cli_lineage.py) and one more earlier department, "Sở Thương mại cũ", 2nd in 2020:

* Sở Tư pháp was "Sở Tư pháp (tên cũ)" (15th in 2020; 4th in 2021): renamed, up 11;
* Sở Công Thương (4th), "Sở Du lịch cũ" (13th) and "Sở Thương mại cũ" (2nd) merged into Sở
  Công Thương (13th in 2021): the best is 2nd, down 11; the largest (weights 100, 200, 50)
  is Sở Du lịch cũ's 13th, unchanged; the mean has no rank;
* "Sở Ngoại vụ và Dân tộc" (20th) split into Sở Ngoại vụ (16th: up 4) and Ban Dân tộc (20th:
  unchanged).
"""

from __future__ import annotations

import html
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.web.conftest import make_user
from tests.web.test_results import complete_demo

from chiso.web.accounts.models import Role, User
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.audit.services import change_counts
from chiso.web.console.demo import create_demo
from chiso.web.cycles import lineage
from chiso.web.cycles.models import Cycle, CycleState, Organisation, Participation, Unit, UnitLink
from chiso.web.cycles.services import change_state
from chiso.web.results import services

DATA = Path(__file__).parents[1] / "data" / "lineage"
OLD_NAMES = DATA / "binh-dinh-2020-ranks-old-names.csv"
LINEAGE = (DATA / "binh-dinh-2021-lineage.csv").read_text(encoding="utf-8") + (
    "2021,Sở Công Thương,Sở Thương mại cũ,50\n"
)


@pytest.fixture
def demo(db: None) -> Cycle:
    cycle = create_demo()
    complete_demo(cycle)
    cycle.previous_results.all().delete()
    earlier = OLD_NAMES.read_text(encoding="utf-8") + "Sở Thương mại cũ,so,2020,2,\n"
    file = SimpleUploadedFile("ket-qua-2020.csv", earlier.encode())
    services.import_previous(cycle, file, by=User.objects.get(username="admin"))
    return cycle


@pytest.fixture
def admin(demo: Cycle) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    return client


def lineage_file(text: str = LINEAGE, name: str = "lineage.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def upload(client: Client, cycle: Cycle, text: str = LINEAGE) -> Any:
    return client.post(
        f"/cycles/{cycle.pk}/lineage/", {"action": "upload", "file": lineage_file(text)}
    )


def earlier_of(client: Client, cycle: Cycle, unit: str) -> tuple[str, str]:
    """The 2020 rank and the change of ``unit`` in the draft's overall table of departments."""
    page = client.get(f"/results/{cycle.pk}/?draft").content.decode()
    table = page.split('id="bang-1"')[1].split("</table>")[0]
    row = next(r for r in table.split("<tr>") if re.search(f">{re.escape(unit)}\\**<", r))
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    return cells[-3], cells[-1]  # the columns: rank 2020, rank 2021, change


def test_the_results_follow_a_renaming_a_merger_of_three_and_a_split(
    demo: Cycle, admin: Client
) -> None:
    assert earlier_of(admin, demo, "Sở Tư pháp") == ("", "")  # no history yet
    assert upload(admin, demo).status_code == 302
    assert UnitLink.objects.count() == 6
    assert earlier_of(admin, demo, "Sở Tư pháp") == ("15†", "+11")
    assert earlier_of(admin, demo, "Sở Công Thương") == ("2†", "-11")
    assert earlier_of(admin, demo, "Sở Ngoại vụ") == ("20†", "+4")
    assert earlier_of(admin, demo, "Ban Dân tộc") == ("20†", "=")
    assert earlier_of(admin, demo, "Sở Tài chính") == ("1", "=")  # its own row: no mark
    page = admin.get(f"/results/{demo.pk}/?draft").content.decode()
    assert "Kết quả năm 2020 của Sở Tư pháp: đổi tên từ Sở Tư pháp (tên cũ)." in page
    assert (
        "Kết quả năm 2020 của Sở Công Thương: hợp nhất từ Sở Công Thương, Sở Du lịch cũ, "
        "Sở Thương mại cũ (lấy kết quả tốt nhất: Sở Thương mại cũ)." in page
    )
    assert "Kết quả năm 2020 của Ban Dân tộc: chia tách từ Sở Ngoại vụ và Dân tộc." in page


def test_the_scorecard_marks_the_carried_rank_and_says_how(demo: Cycle, admin: Client) -> None:
    upload(admin, demo)
    unit = Unit.objects.get(name="Sở Tư pháp")
    page = admin.get(f"/results/{demo.pk}/units/{unit.pk}/?draft").content.decode()
    assert "15<abbr" in page and "(+11)" in page
    assert "Kết quả năm 2020: đổi tên từ Sở Tư pháp (tên cũ)." in page


def test_the_cycles_merge_policy_is_the_assessors_choice_and_audited(
    demo: Cycle, admin: Client
) -> None:
    upload(admin, demo)
    assert earlier_of(admin, demo, "Sở Công Thương") == ("2†", "-11")
    url = f"/cycles/{demo.pk}/lineage/"
    assert admin.post(url, {"action": "policy", "policy": "largest"}).status_code == 302
    assert earlier_of(admin, demo, "Sở Công Thương") == ("13†", "=")  # Sở Du lịch cũ: 200
    admin.post(url, {"action": "policy", "policy": "mean"})
    assert earlier_of(admin, demo, "Sở Công Thương") == ("†", "")  # a mean has no rank
    entries = AuditEntry.objects.filter(cycle=demo, action=Action.CHANGED)
    assert [(e.old, e.new) for e in entries.order_by("id")] == [
        ("Kết quả năm trước của đơn vị hợp nhất: kết quả tốt nhất của các đơn vị trước đó",
         "Kết quả năm trước của đơn vị hợp nhất: kết quả của đơn vị trước đó lớn nhất (theo trọng số)"),
        ("Kết quả năm trước của đơn vị hợp nhất: kết quả của đơn vị trước đó lớn nhất (theo trọng số)",
         "Kết quả năm trước của đơn vị hợp nhất: điểm bình quân của các đơn vị trước đó"),
    ]  # fmt: skip


def test_largest_is_refused_while_a_merger_has_no_weights(demo: Cycle, admin: Client) -> None:
    upload(admin, demo, "year,unit,earlier_unit\n2021,Sở Công Thương,Sở Du lịch cũ\n"
           "2021,Sở Công Thương,Sở Công Thương\n")  # fmt: skip
    page = admin.post(f"/cycles/{demo.pk}/lineage/", {"action": "policy", "policy": "largest"})
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    assert (
        "Sở Công Thương hợp nhất từ nhiều đơn vị trước đó từ năm 2021 và kỳ "
        + demo.name
        + " lấy kết quả năm trước của đơn vị lớn nhất: hãy nhập trọng số của"
    ) in text
    assert Cycle.objects.get(pk=demo.pk).merge_policy == "best"
    # the dropdown shows the policy saved, not the one refused
    assert '<option value="best" selected>' in text
    assert '<option value="largest" selected>' not in text


def test_a_merger_without_weights_is_refused_while_a_cycle_keeps_the_largest(
    demo: Cycle, admin: Client
) -> None:
    url = f"/cycles/{demo.pk}/lineage/"
    assert admin.post(url, {"action": "policy", "policy": "largest"}).status_code == 302
    unit = Unit.objects.get(name="Sở Công Thương")
    form = {"action": "add", "unit": unit.pk, "year": 2021, "earlier": "Sở Du lịch cũ",
            "weight": "200"}  # fmt: skip
    assert admin.post(url, form).status_code == 302
    page = admin.post(url, {**form, "earlier": "Sở Công Thương", "weight": ""})
    assert page.status_code == 200
    weight = page.context["add"].errors["weight"]
    assert weight == [
        "Sở Công Thương hợp nhất từ nhiều đơn vị trước đó từ năm 2021 và kỳ "
        + demo.name
        + " lấy kết quả năm trước của đơn vị lớn nhất: hãy nhập trọng số của Sở Công Thương."
    ]
    assert list(UnitLink.objects.values_list("earlier", flat=True)) == ["Sở Du lịch cũ"]
    added = AuditEntry.objects.filter(action=Action.ADDED, target__startswith="cycles.unitlink")
    assert added.count() == 1  # the link refused left no entry
    # nor does a file that leaves a merger without weights
    refused = upload(admin, demo, "year,unit,earlier_unit\n2021,Sở Công Thương,Sở Thương mại cũ\n")
    assert "lineage.csv: Sở Công Thương hợp nhất từ nhiều đơn vị" in html.unescape(
        refused.content.decode()
    )
    assert UnitLink.objects.count() == 1
    # with its weight written with a decimal comma, the link is added
    assert (
        admin.post(url, {**form, "earlier": "Sở Công Thương", "weight": "1,5"}).status_code == 302
    )
    assert UnitLink.objects.get(earlier="Sở Công Thương").weight == Decimal("1.5")
    assert earlier_of(admin, demo, "Sở Công Thương") == ("13†", "=")  # Sở Du lịch cũ: 200


@pytest.mark.parametrize("weight", ["abc", "-1", "1,23456", "1.000.000"])
def test_a_weight_that_is_not_a_number_of_at_least_0_is_refused(
    demo: Cycle, admin: Client, weight: str
) -> None:
    unit = Unit.objects.get(name="Sở Tư pháp")
    form = {"action": "add", "unit": unit.pk, "year": 2021, "earlier": "X", "weight": weight}
    page = admin.post(f"/cycles/{demo.pk}/lineage/", form)
    assert page.status_code == 200 and page.context["add"].errors["weight"]
    assert not UnitLink.objects.exists()


def test_results_that_cannot_be_computed_say_why_on_every_page_of_them(
    demo: Cycle, admin: Client
) -> None:
    """Links stored before a merger needed weights: every page of the draft says why."""
    Cycle.objects.filter(pk=demo.pk).update(merge_policy="largest")
    unit = Unit.objects.get(name="Sở Công Thương")
    UnitLink.objects.create(unit=unit, year=2021, earlier="Sở Du lịch cũ")
    UnitLink.objects.create(unit=unit, year=2021, earlier="Sở Công Thương")
    for url in (
        f"/results/{demo.pk}/?draft",
        f"/results/{demo.pk}/units/{unit.pk}/?draft",
        f"/results/{demo.pk}/units/{unit.pk}/chart.png?draft",
        f"/results/{demo.pk}/charts/tiers.png?draft",
    ):
        page = admin.get(url)
        assert page.status_code == 200, url
        text = html.unescape(page.content.decode())
        assert (
            "Không tính được kết quả: Kế thừa đơn vị: Sở Công Thương hợp nhất từ nhiều đơn vị "
            "trước đó từ năm 2021 và kỳ " + demo.name + " lấy kết quả năm trước của đơn vị lớn "
            "nhất: hãy nhập trọng số của"
        ) in text


def test_the_lineage_page_lists_the_links_and_the_earlier_units_no_unit_continues(
    demo: Cycle, admin: Client
) -> None:
    page = admin.get(f"/cycles/{demo.pk}/lineage/").content.decode()
    lost = page.split("<h2>", 5)[-1]
    for name in ("Sở Tư pháp (tên cũ)", "Sở Du lịch cũ", "Sở Thương mại cũ"):
        assert name in lost
    upload(admin, demo)
    page = admin.get(f"/cycles/{demo.pk}/lineage/").content.decode()
    rows = re.findall(
        r"<tr><td>(.*?)</td><td class=\"num\">(\d+)</td><td>(.*?)</td><td>(.*?)</td>", page
    )
    assert ("Sở Tư pháp", "2021", "Sở Tư pháp (tên cũ)", "đổi tên") in rows
    assert ("Sở Công Thương", "2021", "Sở Thương mại cũ", "hợp nhất") in rows
    assert ("Ban Dân tộc", "2021", "Sở Ngoại vụ và Dân tộc", "chia tách") in rows
    assert "Sở Du lịch cũ</td><td>Sở, ban, ngành" not in page  # continued now


def test_the_earlier_results_no_unit_continues_name_their_block_and_idle_links_are_marked(
    demo: Cycle, admin: Client
) -> None:
    page = admin.get(f"/cycles/{demo.pk}/lineage/").content.decode()
    assert "<td>Sở Du lịch cũ</td><td>Sở, ban, ngành</td>" in page
    assert "Năm của một liên kết là năm đơn vị bắt đầu" in page
    tu_phap, cong_thuong = (Unit.objects.get(name=n) for n in ("Sở Tư pháp", "Sở Công Thương"))
    for unit, year, earlier in [
        (tu_phap, 2021, "Sở Tư pháp (tên cũ)"),  # carries 2020
        (tu_phap, 2020, "Sở Tư pháp cũ hơn"),  # no earlier year of the cycle before 2020
        (cong_thuong, 2021, "Sở Công Thương"),  # itself alone: its own result
    ]:
        UnitLink.objects.create(unit=unit, year=year, earlier=earlier)
    page = admin.get(f"/cycles/{demo.pk}/lineage/").content.decode()
    rows = re.findall(
        r"<tr><td>(.*?)</td><td class=\"num\">(\d+)</td><td>(.*?)</td><td>(.*?)</td>", page
    )
    idle = ' <span class="muted">(không mang kết quả nào sang kỳ này)</span>'
    assert sorted(rows) == [
        ("Sở Công Thương", "2021", "Sở Công Thương", "đổi tên" + idle),
        ("Sở Tư pháp", "2020", "Sở Tư pháp cũ hơn", "đổi tên" + idle),
        ("Sở Tư pháp", "2021", "Sở Tư pháp (tên cũ)", "đổi tên"),
    ]


def test_links_added_and_removed_in_the_form_are_audited(demo: Cycle, admin: Client) -> None:
    unit = Unit.objects.get(name="Sở Tư pháp")
    url = f"/cycles/{demo.pk}/lineage/"
    form = {"action": "add", "unit": unit.pk, "year": 2021, "earlier": "Sở Tư pháp (tên cũ)"}
    assert admin.post(url, form).status_code == 302
    assert earlier_of(admin, demo, "Sở Tư pháp") == ("15†", "+11")
    again = admin.post(url, form)
    assert "Sở Tư pháp đã kế thừa Sở Tư pháp (tên cũ) từ năm 2021." in again.content.decode()
    link = UnitLink.objects.get()
    assert admin.post(url, {"action": "remove", "link": link.pk}).status_code == 302
    assert earlier_of(admin, demo, "Sở Tư pháp") == ("", "")  # the draft follows at once
    entries = AuditEntry.objects.filter(unit=unit).order_by("id")
    assert [
        (e.action, e.new, e.old) for e in entries.filter(target__startswith="cycles.unitlink")
    ] == [
        (Action.ADDED, "2021: Sở Tư pháp ← Sở Tư pháp (tên cũ)", ""),
        (Action.DELETED, "", "2021: Sở Tư pháp ← Sở Tư pháp (tên cũ)"),
    ]
    # in the trail of the cycle whose results they change, and on its audit page
    assert {e.cycle_id for e in entries.filter(target__startswith="cycles.unitlink")} == {demo.pk}
    trail = html.unescape(admin.get(f"/cycles/{demo.pk}/audit/").content.decode())
    assert "2021: Sở Tư pháp ← Sở Tư pháp (tên cũ)" in trail


def test_a_link_change_is_in_the_trail_of_the_cycles_not_published_and_counted_in_all(
    demo: Cycle, admin: Client
) -> None:
    published = Cycle.objects.create(
        organisation=demo.organisation, framework=demo.framework, name="Kỳ 2020", year=2020,
        state=CycleState.PUBLISHED,
    )  # fmt: skip
    before = change_counts(demo.organisation_id)
    unit = Unit.objects.get(name="Sở Tư pháp")
    lineage.add_link(unit, year=2021, earlier="Sở Tư pháp (tên cũ)", weight=None,
                     by=User.objects.get(username="admin"))  # fmt: skip
    added = AuditEntry.objects.filter(action=Action.ADDED, target__startswith="cycles.unitlink")
    assert [e.cycle_id for e in added] == [demo.pk]
    after = change_counts(demo.organisation_id)
    assert after[demo.pk] == before.get(demo.pk, 0) + 1
    assert after[published.pk] == before.get(published.pk, 0) + 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("year,unit,earlier_unit\n2021,Sở Không Có,B\n",
         "lineage.csv, dòng 2, cột 'unit': không có đơn vị nào của cơ quan đánh giá tên là Sở Không Có"),
        ("year,unit,earlier_unit\nhai nghìn,Sở Tư pháp,B\n",
         "lineage.csv, dòng 2, cột 'year': 'hai nghìn' không phải là một năm"),
        ("year,unit,earlier_unit,weight\n2021,Sở Tư pháp,B,1.000.000\n",
         "lineage.csv, dòng 2, cột 'weight': '1.000.000' không phải là một số (chỉ gồm chữ số, "
         "không có dấu phân cách hàng nghìn)"),
        ("unit,earlier_unit\nA,B\n", "lineage.csv, dòng 1: thiếu cột 'năm' (hoặc 'year')"),
        ("năm,đơn vị\n2021,A\n",
         "lineage.csv, dòng 1: thiếu cột 'đơn vị trước đó' (hoặc 'earlier_unit')"),
        ("", "lineage.csv: tệp trống"),
        ("year,unit,earlier_unit\n2021,Sở Tư pháp,B\n2021,Sở Tư pháp,b\n",
         "lineage.csv, dòng 3, cột 'unit': liên kết của Sở Tư pháp với b năm 2021 được ghi hai lần"),
    ],
)  # fmt: skip
def test_a_bad_lineage_file_names_file_row_and_column_and_adds_nothing(
    demo: Cycle, admin: Client, text: str, expected: str
) -> None:
    page = upload(admin, demo, text)
    assert page.status_code == 200
    assert expected in html.unescape(page.content.decode())
    assert not UnitLink.objects.exists()


def test_a_lineage_file_neither_csv_nor_xlsx_is_refused_naming_it(
    demo: Cycle, admin: Client
) -> None:
    file = lineage_file(name="lineage.txt")
    page = admin.post(f"/cycles/{demo.pk}/lineage/", {"action": "upload", "file": file})
    assert page.status_code == 200
    assert "lineage.txt: không phải tệp .csv hay .xlsx" in html.unescape(page.content.decode())
    assert not UnitLink.objects.exists()


def test_a_lineage_file_not_in_utf8_is_refused_in_vietnamese(demo: Cycle, admin: Client) -> None:
    data = b"year,unit,earlier_unit\n2021,S\xd2 T\xb4 ph\xe1p,B\n"  # cp1258, not UTF-8
    file = SimpleUploadedFile("lineage.csv", data, content_type="text/csv")
    page = admin.post(f"/cycles/{demo.pk}/lineage/", {"action": "upload", "file": file})
    text = html.unescape(page.content.decode())
    assert "lineage.csv, dòng 2: không phải văn bản UTF-8 (byte 0xd2): hãy lưu tệp" in text
    assert "--encoding" not in text
    assert not UnitLink.objects.exists()


def test_another_assessors_link_is_not_found_and_viewers_only_read(
    demo: Cycle, admin: Client
) -> None:
    other = Organisation.objects.create(name="Sở TT&TT tỉnh khác")
    theirs = UnitLink.objects.create(
        unit=Unit.objects.create(organisation=other, name="Xã Tây Sơn"), year=2025, earlier="X"
    )
    url = f"/cycles/{demo.pk}/lineage/"
    assert admin.post(url, {"action": "remove", "link": theirs.pk}).status_code == 404
    form = {"action": "add", "unit": theirs.unit.pk, "year": 2025, "earlier": "Y"}
    assert admin.post(url, form).status_code == 200  # not a choice
    assert UnitLink.objects.count() == 1
    viewer = Client()
    viewer.force_login(make_user("viewer2", Role.VIEWER, organisation=demo.organisation))
    assert viewer.get(url).status_code == 200
    assert viewer.post(url, {"action": "remove", "link": theirs.pk}).status_code == 403
    outsider = Client()
    outsider.force_login(make_user("admin2", Role.ADMIN, organisation=other))
    assert outsider.get(url).status_code == 404


def test_a_published_cycle_is_carried_to_the_units_that_continue_its_units(
    db: None,
) -> None:
    """The cycle history, not an imported file: the demo's 2021 cycle published (Sở Tư pháp
    4th, Sở Nội vụ 10th of the departments), then a 2022 cycle in which "Sở Tư pháp và Nội vụ",
    a new unit, continues both, and "Sở Y tế mới" continues Sở Y tế (10th)."""
    cycle = create_demo()
    admin = User.objects.get(username="admin")
    complete_demo(cycle)
    cycle.previous_results.all().delete()
    change_state(cycle, CycleState.UNDER_REVIEW, by=admin)
    services.publish(cycle, by=admin)
    ranks = {u: r for u, r in _ranks(cycle)}
    assert (ranks["Sở Tư pháp"], ranks["Sở Nội vụ"], ranks["Sở Y tế"]) == (4, 10, 10)
    later = Cycle.objects.create(organisation=cycle.organisation, name="2022", year=2022,
                                 framework=cycle.framework)  # fmt: skip
    merged = Unit.objects.create(organisation=cycle.organisation, name="Sở Tư pháp và Nội vụ")
    renamed = Unit.objects.create(organisation=cycle.organisation, name="Sở Y tế mới")
    for unit in (merged, renamed, Unit.objects.get(name="Sở Tài chính")):
        Participation.objects.create(cycle=later, unit=unit, block="so")
    for unit, earlier in ((merged, "Sở Tư pháp"), (merged, "Sở Nội vụ"), (renamed, "Sở Y tế")):
        lineage.add_link(unit, year=2022, earlier=earlier, weight=None, by=admin)
    found = {row.unit: row for row in services.previous_results(later)}
    assert (found["Sở Tư pháp và Nội vụ"].rank, found["Sở Tư pháp và Nội vụ"].carried.chosen) == (
        4,
        "Sở Tư pháp",
    )
    assert found["Sở Y tế mới"].rank == 10 and found["Sở Y tế mới"].carried.how == "renamed"
    assert found["Sở Tài chính"].carried is None
    lost = {row.unit for row in services.unmatched_previous(later)}
    assert {"Sở Tư pháp", "Sở Nội vụ", "Sở Y tế", "Sở Tài chính"}.isdisjoint(lost)
    assert "Sở Xây dựng" in lost  # no unit of 2022 has or continues it


def _ranks(cycle: Cycle) -> list[tuple[str, int | None]]:
    data = services.snapshot.results_data(services.snapshot.Stored(cycle.revisions.get()))
    return [(u["unit"], u["rank"]) for b in data["blocks"] for u in b["units"]]


def test_the_api_gives_the_lineage_as_the_page_does(demo: Cycle, admin: Client) -> None:
    url = f"/api/v1/cycles/{demo.pk}/lineage"
    assert admin.get(url).json() == {"cycle": demo.pk, "merge_policy": "best", "links": []}
    upload(admin, demo)
    lineage.set_merge_policy(demo, "largest", by=User.objects.get(username="admin"))
    data = admin.get(url).json()
    assert data["merge_policy"] == "largest"
    links = {(link["unit"], link["earlier"]): link for link in data["links"]}
    assert len(links) == 6
    merged = links["Sở Công Thương", "Sở Du lịch cũ"]
    assert (merged["year"], merged["weight"], merged["kind"], merged["carries"]) == (
        2021, "200", "merged", True)  # fmt: skip
    assert merged["unit_id"] == Unit.objects.get(name="Sở Công Thương").pk
    renamed = links["Sở Tư pháp", "Sở Tư pháp (tên cũ)"]
    assert (renamed["kind"], renamed["weight"]) == ("renamed", None)
    assert links["Ban Dân tộc", "Sở Ngoại vụ và Dân tộc"]["kind"] == "split"
    UnitLink.objects.create(unit=Unit.objects.get(name="Sở Tư pháp"), year=2020, earlier="Cũ")
    idle = next(link for link in admin.get(url).json()["links"] if link["earlier"] == "Cũ")
    assert not idle["carries"]  # no earlier year of the cycle before 2020


def test_the_lineage_api_is_the_assessors_and_viewers_only(demo: Cycle) -> None:
    url = f"/api/v1/cycles/{demo.pk}/lineage"
    assert Client().get(url).status_code == 401
    for name, status in (("viewer", 200), ("reviewer", 403), ("editor", 404), ("head", 404)):
        client = Client()
        client.force_login(User.objects.get(username=name))
        assert client.get(url).status_code == status, name
    outsider = Client()
    other = Organisation.objects.create(name="Sở TT&TT tỉnh khác")
    outsider.force_login(make_user("admin2", Role.ADMIN, organisation=other))
    assert outsider.get(url).status_code == 404
    assert outsider.get("/api/v1/cycles/999999/lineage").status_code == 404


def test_the_assessor_adds_and_removes_links_and_sets_the_policy_through_the_api(
    demo: Cycle, admin: Client
) -> None:
    base = f"/api/v1/cycles/{demo.pk}/lineage"
    unit = Unit.objects.get(name="Sở Tư pháp")
    body = {"unit_id": unit.pk, "year": 2021, "earlier": " Sở Tư pháp (tên cũ) ", "weight": None}
    added = admin.post(f"{base}/links", body, content_type="application/json")
    assert added.status_code == 201
    link = added.json()
    assert (link["unit"], link["earlier"], link["kind"], link["carries"]) == (
        "Sở Tư pháp", "Sở Tư pháp (tên cũ)", "renamed", True)  # fmt: skip
    assert earlier_of(admin, demo, "Sở Tư pháp") == ("15†", "+11")  # the results follow
    entry = AuditEntry.objects.filter(action=Action.ADDED, unit=unit).get()
    assert (entry.cycle, entry.new) == (demo, "2021: Sở Tư pháp ← Sở Tư pháp (tên cũ)")
    again = admin.post(f"{base}/links", body, content_type="application/json")
    assert again.status_code == 422 and "Sở Tư pháp (tên cũ)" in again.json()["detail"]
    for bad in ({"earlier": "  "}, {"weight": "-1"}, {"year": 1800}, {"earlier": "A\x00"}):
        response = admin.post(f"{base}/links", body | bad, content_type="application/json")
        assert response.status_code == 422, bad
    merger = [("Sở Công Thương", "Sở Công Thương"), ("Sở Công Thương", "Sở Du lịch cũ")]
    for name, earlier in merger:
        row = {"unit_id": Unit.objects.get(name=name).pk, "year": 2021, "earlier": earlier}
        assert admin.post(f"{base}/links", row, content_type="application/json").status_code == 201
    largest = {"merge_policy": "largest"}
    refused = admin.put(f"{base}/policy", largest, content_type="application/json")
    assert refused.status_code == 422 and "Sở Công Thương" in refused.json()["detail"]
    assert admin.put(f"{base}/policy", {"merge_policy": "mean"},
                     content_type="application/json").json()["merge_policy"] == "mean"  # fmt: skip
    assert Cycle.objects.get(pk=demo.pk).merge_policy == "mean"
    assert admin.delete(f"{base}/links/{link['id']}").status_code == 204
    assert not UnitLink.objects.filter(pk=link["id"]).exists()
    assert AuditEntry.objects.filter(action=Action.DELETED, unit=unit).exists()
    assert admin.delete(f"{base}/links/{link['id']}").status_code == 404


def test_only_the_assessor_changes_the_lineage_through_the_api(demo: Cycle) -> None:
    base = f"/api/v1/cycles/{demo.pk}/lineage"
    unit = Unit.objects.get(name="Sở Tư pháp")
    link = UnitLink.objects.create(unit=unit, year=2021, earlier="Sở Tư pháp (tên cũ)")
    body = {"unit_id": unit.pk, "year": 2021, "earlier": "Sở khác"}
    for name, status in (("viewer", 403), ("reviewer", 403), ("editor", 404)):
        client = Client()
        client.force_login(User.objects.get(username=name))
        assert (
            client.post(f"{base}/links", body, content_type="application/json").status_code
            == status
        )
        assert client.delete(f"{base}/links/{link.pk}").status_code == status
        put = client.put(
            f"{base}/policy", {"merge_policy": "mean"}, content_type="application/json"
        )
        assert put.status_code == status
    other = Organisation.objects.create(name="Sở TT&TT tỉnh khác")
    theirs = UnitLink.objects.create(
        unit=Unit.objects.create(organisation=other, name="Xã Tây Sơn"), year=2025, earlier="X"
    )
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    assert admin.delete(f"{base}/links/{theirs.pk}").status_code == 404
    foreign = body | {"unit_id": theirs.unit_id}
    assert admin.post(f"{base}/links", foreign, content_type="application/json").status_code == 404
    assert UnitLink.objects.count() == 2 and Cycle.objects.get(pk=demo.pk).merge_policy == "best"
