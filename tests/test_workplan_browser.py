"""In a real browser: a county clerk builds the work plan from a preset, adds tasks, marks
progress and sees the overdue task stand out; the city reads it without any form. Desktop
(1280) and phone (390) width; screenshots go to build/screenshots/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from junheng.web.creation.models import WorkPlan, WorkTask
from test_process_browser import WIDTHS, _menu, _page, _shot
from test_web_browser import CHROMIUM, _close_server_connections, _login, browser  # noqa: F401
from webfixtures import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]
PRESETS = {"desktop": ("wenshang", ["制定规划", "组织实施", "评估整改", "总结提升"]),
           "phone": ("lingchuan", ["宣传发动", "自查自评", "整改提升", "全力推进", "查缺补漏", "巩固迎检"])}  # fmt: skip


def _task(page, title: str):  # type: ignore[no-untyped-def]
    return page.locator(f"div.item.task[data-task='{title}']")


def test_county_builds_its_work_plan_and_the_city_reads_it(live_server, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    w = build_world()
    base = live_server.url
    today = timezone.localdate()
    late, soon = today - timedelta(days=5), today + timedelta(days=30)
    for device, width in WIDTHS.items():
        WorkPlan.objects.all().delete()  # each width starts from no plan
        preset, phases = PRESETS[device]
        page = _page(browser, width)
        _login(page, base, "county")
        _menu(page, "实施方案")
        page.wait_for_url(f"**/creation/county/{w.own.code}/workplan/")
        form = page.locator("#form-create")
        form.locator("select[name=preset]").select_option(preset)
        form.locator("input[name=start]").fill(f"{today.year}-01-01")
        form.locator("input[name=end]").fill(f"{today.year + 1}-12-31")
        form.locator("button").click()
        page.wait_for_load_state("networkidle")
        assert "已按模板建立实施方案" in page.locator("ul.messages").inner_text()
        assert [t.split("\n")[0] for t in page.locator("#phases li").all_inner_texts()] == phases

        for title, unit, deadline in (("新建城区运动场", "县自然资源局", soon),
                                      ("补齐音体美教师", "县机构编制委员会办公室", late)):  # fmt: skip
            form = page.locator("#form-task")
            form.locator("input[name=title]").fill(title)
            form.locator("select[name=phase]").select_option(label=phases[1])
            form.locator("select[name=unit]").select_option(label=unit)
            form.locator("input[name=deadline]").fill(f"{deadline:%Y-%m-%d}")
            form.locator("button").click()
            page.wait_for_load_state("networkidle")
            assert "已添加任务" in page.locator("ul.messages").inner_text()
        # a task with no unit chosen from the list is refused by the browser
        page.locator("#form-task input[name=title]").fill("没有责任单位的任务")
        page.locator("#form-task button").click()
        assert WorkTask.objects.filter(title="没有责任单位的任务").count() == 0

        card = _task(page, "新建城区运动场")
        card.locator("input[name=progress]").fill("40")
        card.locator("input[name=note]").fill("已完成选址")
        card.locator("button", has_text="更新进度").click()
        page.wait_for_load_state("networkidle")
        card = _task(page, "新建城区运动场")
        assert "进行中" in card.locator("h3").inner_text()
        assert card.locator(".pct").inner_text() == "40%"
        assert "已完成选址" in card.inner_text()
        # the overdue task stands out: listed first, marked with its days
        first = page.locator("div.item.task").first
        assert first.get_attribute("data-task") == "补齐音体美教师"
        assert "overdue" in (first.get_attribute("class") or "")
        assert "已逾期5天" in first.locator(".tag-overdue").inner_text()
        assert page.locator("#n-overdue").inner_text() == "1"
        assert page.locator("#n-tasks").inner_text() == "2"

        row = page.locator("tr[data-target='学生体质健康优良率不低于55%']")
        row.locator("input[name=value]").fill("57.2")
        row.locator("button", has_text="填报").click()
        page.wait_for_load_state("networkidle")
        row = page.locator("tr[data-target='学生体质健康优良率不低于55%']")
        assert f"{today.year}年 57.2%（填报） 达到" in row.inner_text()
        rotation = page.locator("tr[data-target='交流轮岗教师比例不低于10%']").inner_text()
        assert "2026年 10.0%（数据） 达到" in rotation  # 100 of 1000 teachers rotated
        changes = page.locator("#changes").inner_text()
        assert "county · 任务“新建城区运动场”：进度 40%（进行中）" in changes
        assert "county · 目标“学生体质健康优良率不低于55%”：" in changes

        # the unit of a task changes; progress stays
        card = _task(page, "新建城区运动场")
        card.locator("summary").click()
        card.locator("select[name=unit]").select_option(label="县财政局")
        card.locator("button", has_text="保存修改").click()
        page.wait_for_load_state("networkidle")
        assert "已修改任务：新建城区运动场" in page.locator("ul.messages").inner_text()
        meta = _task(page, "新建城区运动场").locator(".meta").first.inner_text()
        assert "责任单位：县财政局" in meta and "完成进度：40%" in meta
        # a target dropped after the page asks
        asked: list[str] = []
        page.once("dialog", lambda d, asked=asked: (asked.append(d.message), d.accept()))
        row = page.locator("tr[data-target='新招聘教师中音体美教师不低于20%']")
        row.locator("button", has_text="删除目标").click()
        page.wait_for_load_state("networkidle")
        assert asked == ["删除目标“新招聘教师中音体美教师不低于20%”及其各年度填报的数值？"]
        assert (
            "已删除目标：新招聘教师中音体美教师不低于20%"
            in page.locator("ul.messages").inner_text()
        )
        assert page.locator("tr[data-target='新招聘教师中音体美教师不低于20%']").count() == 0
        changes = page.locator("#changes").inner_text()
        assert "county · 删除目标“新招聘教师中音体美教师不低于20%”" in changes
        assert "county · 任务“新建城区运动场”：修改为 责任单位县财政局" in changes
        _shot(page, f"workplan-county-{device}")
        page.close()

        page = _page(browser, width)
        _login(page, base, "city")
        _menu(page, "实施方案")
        page.wait_for_url("**/creation/city/370800/workplans/")
        listed = page.locator("#workplans tbody tr").first.inner_text()
        assert "汶上县" in listed and listed.rstrip().endswith("1")  # one overdue task
        _shot(page, f"workplan-city-list-{device}")
        page.click("#workplans >> text=汶上县")
        page.wait_for_url(f"**/creation/county/{w.own.code}/workplan/")
        assert page.locator("#readonly").is_visible()
        assert page.locator("main form").count() == 0  # nothing to change
        assert page.locator("div.item.task").first.get_attribute("data-task") == "补齐音体美教师"
        assert "已逾期5天" in page.locator("div.item.task").first.inner_text()
        _shot(page, f"workplan-city-{device}")
        page.close()
