"""Creation plans and the review chain: permissions, order of steps, frozen snapshots."""

from __future__ import annotations

import pytest

from junheng.web.creation import chain, selectors, services
from junheng.web.creation.models import ChainStep, CreationPlan, FrozenError, Step
from junheng.web.info.models import EvaluationResult, RecordStatus, SchoolRecord
from junheng.web.info.services import workflow
from junheng.web.info.services.errors import NotAllowed, ServiceError, WorkflowError
from junheng.web.ledger.models import LedgerItem
from webfixtures import YEAR, World, build_world

pytestmark = pytest.mark.django_db


def _locked(w: World):  # type: ignore[no-untyped-def]
    return workflow.evaluate_county(w.users["county"], w.own, YEAR, lock=True)


def test_only_the_city_files_plans_and_a_change_needs_a_reason() -> None:
    w = build_world()
    for role in ("school", "county", "province"):
        with pytest.raises(NotAllowed):
            services.set_plan(w.users[role], w.own, 2025)
    with pytest.raises(NotAllowed):
        services.set_plan(w.users["city"], w.foreign, 2025)
    plan = services.set_plan(w.users["city"], w.own, 2025)
    assert plan.planned_year == 2025
    with pytest.raises(
        ServiceError, match=r"调整汶上县的计划申报年度（2025年→2027年）须填写调整原因"
    ):
        services.set_plan(w.users["city"], w.own, 2027)
    with pytest.raises(ServiceError, match="应为2021—2030年之间的年份"):
        services.set_plan(w.users["city"], w.own, 2031)
    services.set_plan(w.users["city"], w.own, 2027, "校舍改扩建工程延期")
    plan = CreationPlan.objects.get(county=w.own)
    assert [(h.planned_year, h.reason) for h in plan.history.order_by("history_date")] == [
        (2025, ""),
        (2027, "校舍改扩建工程延期"),
    ]


def test_chain_in_order_with_only_the_right_role_at_each_step() -> None:
    w = build_world(RecordStatus.APPROVED)
    unlocked = workflow.evaluate_county(w.users["county"], w.own, YEAR)
    with pytest.raises(WorkflowError, match="请先“评估并锁定”"):
        chain.self_evaluate(w.users["county"], w.own, unlocked)
    run = _locked(w)
    with pytest.raises(WorkflowError, match="当前应进行“县级自评”，不能进行“市级复核”"):
        chain.city_review(w.users["city"], w.own, passed=True, opinion="")
    with pytest.raises(NotAllowed):
        chain.self_evaluate(w.users["city"], w.own, run)
    chain.self_evaluate(w.users["county"], w.own, run, "自评达到优质均衡")
    for role in ("county", "province", "school"):
        with pytest.raises(NotAllowed):
            chain.city_review(w.users[role], w.own, passed=True, opinion="")
    chain.city_review(w.users["city"], w.own, passed=True, opinion="同意上报")
    for role in ("county", "city"):
        with pytest.raises(NotAllowed):
            chain.province_evaluate(w.users[role], w.own, recommended=True, opinion="", year=2026)
    chain.province_evaluate(w.users["province"], w.own, recommended=True, opinion="推荐", year=2026)
    with pytest.raises(WorkflowError, match="请填写认定批次"):
        chain.national(w.users["province"], w.own, batch=" ", year=2027)
    chain.national(w.users["province"], w.own, batch="2027年第一批", year=2027)
    with pytest.raises(WorkflowError, match="已通过国家认定"):
        chain.national(w.users["province"], w.own, batch="又一批", year=2027)
    assert [s.step for s in chain.steps_of(w.own)] == [Step.SELF, Step.CITY, Step.PROVINCE,
                                                       Step.NATIONAL]  # fmt: skip
    assert all(s.run == run for s in chain.steps_of(w.own))
    plan = next(
        p for p in selectors.county_plans(w.users["province"], w.own.__class__.objects.all())
    )
    assert (plan.self_evaluated, plan.city_reviewed, plan.recommended, plan.recognised) == (
        2026,
        2026,
        2026,
        2027,
    )


def test_city_return_puts_each_reason_in_the_ledger_and_restarts_the_chain() -> None:
    w = build_world(RecordStatus.APPROVED)
    run = _locked(w)
    chain.self_evaluate(w.users["county"], w.own, run)
    with pytest.raises(WorkflowError, match="退回时必须写明退回原因"):
        chain.city_review(w.users["city"], w.own, passed=False, opinion="  \n ")
    chain.city_review(w.users["city"], w.own, passed=False,
                      opinion="第三小学功能室台账不全\n\n教师交流轮岗名单缺少公示材料")  # fmt: skip
    titles = list(
        LedgerItem.objects.filter(county=w.own, kind="review").values_list("title", flat=True)
    )
    assert titles == [
        "市级复核退回：第三小学功能室台账不全",
        "市级复核退回：教师交流轮岗名单缺少公示材料",
    ]
    assert chain.next_step(w.own) == Step.SELF
    with pytest.raises(WorkflowError, match="当前应进行“县级自评”"):
        chain.province_evaluate(w.users["province"], w.own, recommended=True, opinion="", year=2026)


def test_snapshot_stays_as_judged_after_the_data_changes() -> None:
    w = build_world(RecordStatus.APPROVED)
    run = _locked(w)
    step = chain.self_evaluate(w.users["county"], w.own, run)
    backbone = step.snapshot["schools"][0]["p_backbone"]
    recognised = step.snapshot["result"]["recognised"]
    # the data and the run's stored result change afterwards
    SchoolRecord.objects.filter(school=w.school(w.own, 0), year=YEAR).update(p_backbone=0)
    type(run).objects.filter(pk=run.pk).update(recognised=not recognised)
    EvaluationResult.objects.filter(run=run).update(data={"changed": 1})
    step = ChainStep.objects.get(pk=step.pk)
    assert step.snapshot["schools"][0]["p_backbone"] == backbone == 20  # 2 per 100 of 1000
    assert step.snapshot["result"]["recognised"] is recognised
    assert step.snapshot["run"] == run.pk
    step.opinion = "改写"
    with pytest.raises(FrozenError):
        step.save()
