"""County work plans in the information base: who may change them, overdue tasks, targets
tracked against the county's data, the pages and the Excel export."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from junheng.web.creation import workplan_selectors as sel
from junheng.web.creation import workplan_services as services
from junheng.web.creation.models import Phase, WorkPlan, WorkTask
from junheng.web.info.models import CountyRecord
from junheng.web.info.services.errors import NotAllowed, ServiceError
from junheng.web.ledger.models import ResponsibleUnit
from junheng.web.ledger.services import ensure_units
from webfixtures import YEAR, World, build_world

pytestmark = pytest.mark.django_db


def _plan(w: World) -> WorkPlan:
    return services.create_plan(w.users["county"], w.own, preset="wenshang",
                                start=date(2025, 9, 1), end=date(2026, 8, 31))  # fmt: skip


def _unit(name: str = "县财政局") -> ResponsibleUnit:
    ensure_units()
    return ResponsibleUnit.objects.get(name=name)


def test_county_creates_its_plan_from_a_preset_others_may_not() -> None:
    w = build_world()
    for role in ("school", "city", "province", "norole"):
        with pytest.raises(NotAllowed):
            services.create_plan(w.users[role], w.own, preset="wenshang",
                                 start=date(2026, 1, 1), end=date(2026, 12, 31))  # fmt: skip
    with pytest.raises(NotAllowed):
        services.create_plan(w.users["county"], w.foreign, preset="wenshang",
                             start=date(2026, 1, 1), end=date(2026, 12, 31))  # fmt: skip
    with pytest.raises(ServiceError, match="实施方案须填写起止日期"):
        services.create_plan(w.users["county"], w.own, preset="wenshang", start=None,
                             end=date(2026, 12, 31))  # fmt: skip
    assert WorkPlan.objects.count() == 0
    plan = _plan(w)
    assert plan.title == "汶上县义务教育优质均衡发展创建实施方案"
    assert list(Phase.objects.filter(plan=plan).values_list("name", "start")) == [
        ("制定规划", date(2025, 9, 1)), ("组织实施", date(2025, 12, 1)),
        ("评估整改", date(2026, 3, 2)), ("总结提升", date(2026, 6, 1)),
    ]  # fmt: skip
    assert [t.label for t in plan.targets.all()] == [
        "交流轮岗教师比例不低于10%", "新招聘教师中音体美教师不低于20%", "学生体质健康优良率不低于55%"
    ]  # fmt: skip
    with pytest.raises(ServiceError, match="汶上县已有实施方案"):
        _plan(w)


def test_tasks_need_a_listed_unit_and_a_deadline_and_keep_their_history() -> None:
    w = build_world()
    plan = _plan(w)
    county = w.users["county"]
    with pytest.raises(ServiceError, match="请从责任单位名单中选择责任单位"):
        services.add_task(county, plan, title="补齐教师", unit=None, deadline=date(2026, 9, 1))
    with pytest.raises(ServiceError, match="请填写完成时限"):
        services.add_task(county, plan, title="补齐教师", unit=_unit(), deadline=None)
    with pytest.raises(ServiceError, match="所选阶段不属于本方案"):
        services.add_task(county, plan, title="补齐教师", unit=_unit(),
                          deadline=date(2026, 9, 1), phase_id=999999)  # fmt: skip
    task = services.add_task(county, plan, title="补齐教师", unit=_unit(),
                             deadline=date(2026, 9, 1), phase_id=plan.phases.first().pk)  # fmt: skip
    with pytest.raises(NotAllowed):
        services.set_progress(w.users["city"], task, 50)
    with pytest.raises(ServiceError, match="完成进度应为0—100之间的整数"):
        services.set_progress(county, task, 150)
    services.set_progress(county, task, 40, "已招聘12人")
    services.set_progress(county, task, 100)
    task.refresh_from_db()
    assert (task.progress, task.status) == (100, "已完成")
    assert [(h.progress, h.status, h.history_user.username) for h in task.history.order_by("history_date")] == [
        (0, "未开始", "county"), (40, "进行中", "county"), (100, "已完成", "county")
    ]  # fmt: skip
    assert [(c.who, c.text) for c in sel.change_log(plan)[:3]] == [
        ("county", "任务“补齐教师”：进度 100%（已完成）"),
        ("county", "任务“补齐教师”：进度 40%（进行中）"),
        ("county", "任务“补齐教师”：添加任务"),
    ]


def test_tasks_are_edited_and_removed_by_the_county_only_with_history() -> None:
    w = build_world()
    plan = _plan(w)
    county = w.users["county"]
    task = services.add_task(
        county, plan, title="补齐教师", unit=_unit(), deadline=date(2026, 9, 1)
    )
    services.set_progress(county, task, 30)
    for role in ("city", "province", "school"):
        with pytest.raises(NotAllowed):
            services.edit_task(
                w.users[role], task, title="改", unit=_unit(), deadline=date(2027, 1, 1)
            )
        with pytest.raises(NotAllowed):
            services.remove_task(w.users[role], task)
    with pytest.raises(ServiceError, match="请填写任务内容"):
        services.edit_task(county, task, title=" ", unit=_unit(), deadline=date(2027, 1, 1))
    with pytest.raises(ServiceError, match="所选阶段不属于本方案"):
        services.edit_task(county, task, title="补齐教师", unit=_unit(), deadline=date(2027, 1, 1),
                           phase_id=999999)  # fmt: skip
    services.edit_task(county, task, title="补齐音体美教师", unit=_unit("县人力资源和社会保障局"),
                       deadline=date(2027, 3, 31))  # fmt: skip
    task.refresh_from_db()
    assert (task.title, task.unit.name, task.deadline, task.progress) == (
        "补齐音体美教师", "县人力资源和社会保障局", date(2027, 3, 31), 30
    )  # fmt: skip
    target = plan.targets.get(label="学生体质健康优良率不低于55%")
    services.enter_figure(county, target, YEAR, "57")
    with pytest.raises(NotAllowed):
        services.remove_target(w.users["city"], target)
    assert services.remove_target(county, target) == "学生体质健康优良率不低于55%"
    assert services.remove_task(county, task) == "补齐音体美教师"
    assert not WorkTask.objects.filter(plan=plan).exists()
    assert plan.targets.count() == 2
    assert [(c.who, c.text) for c in sel.change_log(plan)[:4]] == [
        ("county", "任务“补齐音体美教师”：删除任务"),
        ("county", "删除目标“学生体质健康优良率不低于55%”"),
        ("county", "目标“学生体质健康优良率不低于55%”：2026年填报 57%"),
        (
            "county",
            "任务“补齐音体美教师”：修改为 责任单位县人力资源和社会保障局，完成时限2027-03-31",
        ),
    ]


@pytest.mark.parametrize(("days", "late"), [(-1, 0), (0, 0), (1, 1), (30, 30)])
def test_overdue_at_just_before_and_just_after_the_deadline(days: int, late: int) -> None:
    w = build_world()
    plan = _plan(w)
    deadline = date(2026, 6, 30)
    services.add_task(w.users["county"], plan, title="任务", unit=_unit(), deadline=deadline)
    rows = sel.task_rows(plan, deadline + timedelta(days=days))
    assert [r.overdue_days for r in rows] == [late]


def test_overdue_tasks_come_first_on_the_page() -> None:
    w = build_world()
    plan = _plan(w)
    today = timezone.localdate()
    county = w.users["county"]
    services.add_task(
        county, plan, title="按期任务", unit=_unit(), deadline=today + timedelta(days=5)
    )
    services.add_task(
        county, plan, title="逾期任务", unit=_unit(), deadline=today - timedelta(days=3)
    )
    done = services.add_task(county, plan, title="完成任务", unit=_unit(),
                             deadline=today - timedelta(days=9))  # fmt: skip
    services.set_progress(county, done, 100)
    assert [(r.task.title, r.overdue_days) for r in sel.task_rows(plan, today)] == [
        ("逾期任务", 3), ("按期任务", 0), ("完成任务", 0)
    ]  # fmt: skip
    c = Client()
    c.force_login(w.users["city"])
    html = c.get(f"/creation/county/{w.own.code}/workplan/").content.decode()
    assert html.index("逾期任务") < html.index("按期任务") < html.index("完成任务")
    assert "已逾期3天" in html and 'id="n-overdue">1<' in html


def test_rotation_target_met_or_not_from_the_county_data() -> None:
    w = build_world()
    plan = _plan(w)  # the fixture county: 100 of 1000 eligible teachers rotated = 10%
    rows = {r.target.label: r for r in sel.target_rows(plan)}
    rotation = rows["交流轮岗教师比例不低于10%"]
    assert [(c.year, float(c.value), c.source, c.met) for c in rotation.checks] == [
        (YEAR, 10.0, "数据", True)
    ]
    CountyRecord.objects.filter(county=w.own, year=YEAR).update(rotated=99)
    rotation = next(r for r in sel.target_rows(plan) if r.target.metric == "rotation")
    assert rotation.latest is not None and rotation.latest.met is False
    assert sel.figure_text(rotation.latest, rotation.target) == "9.9%"
    # without a figure in the data, a manual target has no verdict until one is entered
    physical = next(r for r in sel.target_rows(plan) if r.target.label.startswith("学生体质"))
    assert [(c.year, c.met) for c in physical.checks] == [(YEAR, None)]
    services.enter_figure(w.users["county"], physical.target, YEAR, "54.95")
    physical = next(r for r in sel.target_rows(plan) if r.target.label.startswith("学生体质"))
    assert physical.latest is not None and physical.latest.met is False
    # 54.95 prints as 55.0: the exact figure goes beside it
    assert sel.figure_text(physical.latest, physical.target) == "55.0%（精确值54.95%）"
    with pytest.raises(ServiceError, match="数值应为0—100之间的百分数"):
        services.enter_figure(w.users["county"], physical.target, YEAR, "abc")
    with pytest.raises(NotAllowed):
        services.enter_figure(w.users["province"], physical.target, YEAR, "60")


def test_city_reads_the_plan_but_cannot_change_it_foreign_units_see_nothing() -> None:
    w = build_world()
    plan = _plan(w)
    task = services.add_task(w.users["county"], plan, title="任务甲", unit=_unit(),
                             deadline=date(2026, 9, 1))  # fmt: skip
    url = f"/creation/county/{w.own.code}/workplan/"
    for role in ("city", "province"):
        c = Client()
        c.force_login(w.users[role])
        page = c.get(url).content.decode()
        assert "任务甲" in page and 'id="readonly"' in page and "更新进度" not in page
        resp = c.post(url + "progress/", {"task": task.pk, "progress": "90"})
        assert resp.status_code == 403
        region = c.get("/creation/city/370800/workplans/")
        assert region.status_code == 200 and "任务甲" not in region.content.decode()
        assert "汶上县义务教育优质均衡发展创建实施方案" in region.content.decode()
        assert c.get("/creation/city/410100/workplans/").status_code == 404
    task.refresh_from_db()
    assert task.progress == 0
    c = Client()
    c.force_login(w.users["county"])
    c.post(url + "progress/", {"task": task.pk, "progress": "90"})
    task.refresh_from_db()
    assert task.progress == 90
    other = build_foreign_plan(w)
    resp = c.post(url + "progress/", {"task": other.pk, "progress": "10"})
    assert resp.status_code == 404  # another county's task is not found from here
    assert c.get(f"/creation/county/{w.foreign.code}/workplan/").status_code == 404
    c.logout()
    assert c.get(url).status_code == 302


def build_foreign_plan(w: World) -> WorkTask:
    plan = services.create_plan(w.users["admin"], w.foreign, preset="lingchuan",
                                start=date(2026, 1, 1), end=date(2026, 12, 31))  # fmt: skip
    return services.add_task(w.users["admin"], plan, title="外县任务", unit=_unit(),
                             deadline=date(2026, 3, 1))  # fmt: skip


def test_export_lists_phases_tasks_with_overdue_and_targets() -> None:
    w = build_world()
    plan = _plan(w)
    today = timezone.localdate()
    services.add_task(w.users["county"], plan, title="配齐音体美教师", unit=_unit("县机构编制委员会办公室"),
                      deadline=today - timedelta(days=10))  # fmt: skip
    c = Client()
    c.force_login(w.users["province"])
    resp = c.get(f"/creation/county/{w.own.code}/workplan/export/")
    ws = openpyxl.load_workbook(io.BytesIO(resp.content))["实施方案"]
    cells = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    assert cells[0] == ["汶上县义务教育优质均衡发展创建实施方案"]
    assert [str(v) for v in cells[3]] == ["1", "制定规划", "2025-09-01 至 2025-11-30"]
    task = next(r for r in cells if "配齐音体美教师" in r)
    assert task[2:] == ["县机构编制委员会办公室", f"{today - timedelta(days=10):%Y-%m-%d}", "0%",
                        "未开始", "已逾期10天"]  # fmt: skip
    rotation = next(r for r in cells if "交流轮岗教师比例不低于10%" in r)
    assert rotation[2] == "≥10%" and rotation[-1] == "10.0%（数据）达到"


def test_bad_input_on_the_page_is_said_in_chinese_and_nothing_is_saved() -> None:
    w = build_world()
    c = Client()
    c.force_login(w.users["county"])
    url = f"/creation/county/{w.own.code}/workplan/"
    resp = c.post(url + "create/", {"preset": "wenshang", "start": "2026-13-01", "end": "2026-12-31"},
                  follow=True)  # fmt: skip
    assert "未保存：开始日期“2026-13-01”不是有效日期，应为 年-月-日" in resp.content.decode()
    resp = c.post(url + "create/", {"preset": "lingchuan", "start": "2026-01-01", "end": "2026-01-03"},
                  follow=True)  # fmt: skip
    assert "实施期限只有3天，不够分为6个阶段" in resp.content.decode()
    assert WorkPlan.objects.count() == 0
    resp = c.post(url + "task/", {"title": "x"}, follow=True)
    assert "未保存：尚未建立实施方案" in resp.content.decode()
    plan = _plan(w)
    task = services.add_task(
        w.users["county"], plan, title="任务", unit=_unit(), deadline=date(2026, 9, 1)
    )
    for value, message in (
        ("abc", "完成进度应为整数，填写的是“abc”"),
        ("101", "完成进度应为0—100之间的整数"),
    ):
        resp = c.post(url + "progress/", {"task": task.pk, "progress": value}, follow=True)
        assert message in resp.content.decode()
    resp = c.post(url + "task/", {"title": "新任务", "unit": "999999", "deadline": "2026-09-01"},
                  follow=True)  # fmt: skip
    assert "请从责任单位名单中选择责任单位" in resp.content.decode()
    resp = c.post(url + "target/", {"label": "目标", "metric": "rotation", "op": "ge", "threshold": "150"},
                  follow=True)  # fmt: skip
    assert "目标值应为0—100之间的百分数，填写的是“150”" in resp.content.decode()
    assert c.post(url + "unknown/").status_code == 404
    task.refresh_from_db()
    assert (task.progress, plan.tasks.count(), plan.targets.count()) == (0, 1, 3)
