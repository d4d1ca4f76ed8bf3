"""The readable Chinese summary per county printed by ``junheng evaluate``."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..results import CountyResult, Evaluation, PartResult
from ..standard import RESOURCE_KEYS

_MARK = {True: "[green]达标[/]", False: "[red]未达标[/]", None: "[yellow]未评估[/]"}


def _overview(ev: Evaluation) -> Table:
    t = Table(title=f"评估结果（{ev.standard.title}）", show_lines=False)
    for h in (
        "区县代码",
        "区县名称",
        "申报资格",
        "资源配置",
        "政府保障",
        "教育质量",
        "社会认可",
        "一票否决",
        "结论",
    ):
        t.add_column(h, justify="center")
    for c in ev.counties:
        if c.vetoes:
            veto = "[red]" + "、".join(c.vetoes) + "[/]"
        elif c.vetoes_unreported:
            veto = "[yellow]未填报[/]"
        else:
            veto = "无"
        t.add_row(
            c.code, c.name, _MARK[c.eligibility.passed], _MARK[c.resource.passed],
            _MARK[c.guarantee.passed], _MARK[c.quality.passed], _MARK[c.recognition.passed], veto,
            "[bold green]通过[/]" if c.recognised else "[bold red]未通过[/]",
        )  # fmt: skip
    return t


def _stage_table(c: CountyResult, ev: Evaluation) -> Table:
    t = Table(title="资源配置：全县均值 / 差异系数（学生数加权）", title_justify="left")
    t.add_column("指标")
    for stage in c.resource.stages:
        limit = ev.standard.settings["cv_max"][stage]
        t.add_column(
            f"{ {'primary': '小学', 'junior': '初中'}[stage] }（差异系数≤{limit:.2f}）",
            justify="right",
        )
    for k in RESOURCE_KEYS:
        ind = ev.standard.indicator(k)
        cells = []
        for st in c.resource.stages.values():
            mean, cv = st.mean[k], st.cv[k]
            cv_text = "—" if cv is None else f"{cv:.3f}"
            # a mark as well as the colour: printed or piped output has no colour
            cv_text += "" if st.cv_pass[k] else "✗"
            colour = "green" if st.cv_pass[k] else "red"
            mean_text = "—" if mean is None else f"{mean:.2f}"
            cells.append(f"{mean_text} / [{colour}]{cv_text}[/]")
        t.add_row(f"{ind.title}（{ind.unit}）", *cells)
    t.add_row(
        "达标学校",
        *[f"{st.schools_passing}/{st.schools}" for st in c.resource.stages.values()],
    )
    return t


def _part_line(p: PartResult) -> Text:
    ok = sum(1 for i in p.items if i.passed is True)
    bad = sum(1 for i in p.items if i.passed is False)
    na = sum(1 for i in p.items if i.passed is None)
    return Text.from_markup(
        f"{p.title}：{_MARK[p.passed]}（达标{ok}项，未达标{bad}项，未评估{na}项）"
    )


def county_panel(c: CountyResult, ev: Evaluation) -> Panel:
    parts: list[object] = []
    if c.resource.stages:
        parts.append(_stage_table(c, ev))
    parts += [_part_line(p) for p in (c.guarantee, c.quality, c.recognition)]
    if c.reasons:
        parts.append(Text("未通过的原因：", style="bold"))
        parts += [Text(f"  {i}. {r}") for i, r in enumerate(c.reasons[:30], start=1)]
        if len(c.reasons) > 30:
            parts.append(Text(f"  ……另有{len(c.reasons) - 30}条，见 JSON 或 Excel 输出"))
    parts += [Text(f"  注：{n}", style="dim") for n in c.notes]
    verdict = "[bold green]通过优质均衡评估[/]" if c.recognised else "[bold red]未通过[/]"
    return Panel(Group(*parts), title=f"{c.name}（{c.code}）  {verdict}", title_align="left")  # type: ignore[arg-type]


def print_summary(ev: Evaluation, console: Console, detail_limit: int = 20) -> None:
    console.print(_overview(ev))
    passed = sum(1 for c in ev.counties if c.recognised)
    console.print(
        f"共 {len(ev.counties)} 个区县，通过 {passed} 个，未通过 {len(ev.counties) - passed} 个。"
    )
    for c in ev.counties[:detail_limit]:
        console.print(county_panel(c, ev))
    if len(ev.counties) > detail_limit:
        console.print(
            f"（其余 {len(ev.counties) - detail_limit} 个区县的明细见 --format json 或 xlsx）"
        )
