"""Work plans for the demo province: two counties, each with tasks done, under way and overdue."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from junheng.web.info.models import County
from junheng.web.ledger.models import ResponsibleUnit
from junheng.web.ledger.services import ensure_units

from . import workplan_services as services

# (task, responsible unit, days from today to the deadline, progress %)
TASKS: dict[str, tuple[tuple[str, str, int, int], ...]] = {
    "wenshang": (
        ("印发县域义务教育优质均衡发展创建实施方案", "县教育和体育局", -200, 100),
        ("核定中小学教职工编制，补齐音体美教师", "县机构编制委员会办公室", -40, 60),
        ("新建改扩建城区学校3所，消除大班额", "县住房和城乡建设局", -12, 80),
        ("落实学校公用经费和教师培训经费", "县财政局", 45, 30),
        ("推进县域内教师交流轮岗", "县人力资源和社会保障局", 120, 10),
    ),
    "lingchuan": (
        ("召开创建工作动员大会", "县教育和体育局", -150, 100),
        ("各校完成自查自评并上报问题清单", "县教育和体育局", -25, 70),
        ("学校建设用地规划调整", "县自然资源局", 30, 20),
        ("配齐音体美器材和多媒体教室", "县财政局", 90, 0),
    ),
}
FIGURES = {"新招聘教师中音体美教师不低于20%": "18.5", "学生体质健康优良率不低于55%": "57.2"}


def load_workplans(admin: User, counties: list[County], year: int) -> None:
    ensure_units()
    units = {u.name: u for u in ResponsibleUnit.objects.all()}
    today = timezone.localdate()
    for county, preset in zip(counties, TASKS, strict=False):
        plan = services.create_plan(admin, county, preset=preset, start=date(year - 1, 9, 1),
                                    end=max(date(year + 1, 8, 31), today + timedelta(days=180)))  # fmt: skip
        for title, unit, days, progress in TASKS[preset]:
            task = services.add_task(admin, plan, title=title, unit=units[unit],
                                     deadline=today + timedelta(days=days))  # fmt: skip
            if progress:
                services.set_progress(admin, task, progress, "按计划推进" if days > 0 else "")
        for target in plan.targets.all():
            if target.label in FIGURES:
                services.enter_figure(admin, target, year, FIGURES[target.label])
