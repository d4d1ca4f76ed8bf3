"""The readable Chinese summary per county printed by ``junheng evaluate``.

It reads at 80 columns (a narrow terminal, or output redirected to a file): the verdict is never
cut, indicator names shorten, long reasons wrap under their own text, not under their number.
Figures go through :mod:`junheng.display`, as everywhere else.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..display import CV_DIGITS, VALUE_DIGITS, fmt
from ..results import STAGE_TITLES, CountyResult, Evaluation, PartResult
from ..standard import RESOURCE_KEYS

_MARK = {True: "[green]达标[/]", False: "[red]未达标[/]", None: "[yellow]未评估[/]"}
WIDE = 110
"""From this width on the overview shows every part in its own column."""
_PART_HEADS = ("申报资格", "资源配置", "政府保障", "教育质量", "社会认可")


def _parts(c: CountyResult) -> tuple[bool | None, ...]:
    return (c.eligibility.passed, c.resource.passed, c.guarantee.passed, c.quality.passed,
            c.recognition.passed)  # fmt: skip


def _veto(c: CountyResult) -> str:
    if c.vetoes:
        return "[red]" + "、".join(c.vetoes) + "[/]"
    return "[yellow]未填报[/]" if c.vetoes_unreported else "无"


def _verdict(c: CountyResult) -> str:
    return "[bold green]通过[/]" if c.recognised else "[bold red]未通过[/]"


def _overview(ev: Evaluation, width: int) -> Table:
    if width >= WIDE:
        t = Table(title="评估结果", show_lines=False)
        for h in ("区县代码", "区县名称", *_PART_HEADS, "一票否决", "结论"):
            t.add_column(h, justify="center", no_wrap=h == "结论")
        for c in ev.counties:
            t.add_row(c.code, c.name, *(_MARK[p] for p in _parts(c)), _veto(c), _verdict(c))
        return t
    # narrow: the verdict in a column that never wraps, what failed in words beside it
    t = Table(title="评估结果", box=box.SIMPLE_HEAD, expand=False)
    t.add_column("区县", no_wrap=True)
    t.add_column("结论", no_wrap=True, justify="center")
    t.add_column("未达标或未评估的部分", overflow="fold")
    for c in ev.counties:
        issues = [
            f"{h}{_MARK[p]}" for h, p in zip(_PART_HEADS, _parts(c), strict=True) if p is not True
        ]
        if c.vetoes or c.vetoes_unreported:
            issues.append(f"一票否决{'：' if c.vetoes else ''}{_veto(c)}")
        t.add_row(f"{c.name} {c.code}", _verdict(c), "，".join(issues) or "—")
    return t


def _stage_table(c: CountyResult, ev: Evaluation, width: int) -> Table:
    narrow = width < 120
    t = Table(title="资源配置：全县均值 / 差异系数（学生数加权）", title_justify="left",
              box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD)  # fmt: skip
    t.add_column("指标", overflow="fold")
    for stage in c.resource.stages:
        limit = fmt(float(ev.standard.settings["cv_max"][stage]))
        head = (
            f"{STAGE_TITLES[stage]}（≤{limit}）"
            if narrow
            else f"{STAGE_TITLES[stage]}（差异系数≤{limit}）"
        )
        t.add_column(head, justify="right", no_wrap=True)
    for k in RESOURCE_KEYS:
        ind = ev.standard.indicator(k)
        cells = []
        for st in c.resource.stages.values():
            mean, cv = st.mean[k], st.cv[k]
            # a mark as well as the colour: printed or piped output has no colour
            cv_text = fmt(cv, CV_DIGITS) + (" " if st.cv_pass[k] else "✗")
            colour = "green" if st.cv_pass[k] else "red"
            cells.append(f"{fmt(mean, VALUE_DIGITS)} / [{colour}]{cv_text}[/]")
        name = (ind.short or ind.title) if narrow else ind.title
        t.add_row(f"{name}（{ind.unit}）", *cells)
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


def _numbered(lines: list[str], style: str = "") -> Table:
    """Numbered lines whose wrapped text stays under the text, not under the number."""
    t = Table.grid(padding=(0, 1))
    t.add_column(justify="right", no_wrap=True)
    t.add_column(overflow="fold")
    for i, line in enumerate(lines, start=1):
        t.add_row(f"  {i}.", Text(line, style=style))
    return t


def county_panel(c: CountyResult, ev: Evaluation, width: int = 80) -> Panel:
    parts: list[RenderableType] = []
    if c.resource.stages:
        parts.append(_stage_table(c, ev, width))
    parts += [_part_line(p) for p in (c.guarantee, c.quality, c.recognition)]
    if c.reasons:
        parts.append(Text("未通过的原因：", style="bold"))
        parts.append(_numbered(c.reasons[:30]))
        if len(c.reasons) > 30:
            parts.append(Text(f"  ……另有{len(c.reasons) - 30}条，见 JSON 或 Excel 输出"))
    if c.notes:
        parts.append(Text("注：", style="dim"))
        parts.append(_numbered(c.notes, style="dim"))
    verdict = "[bold green]通过优质均衡评估[/]" if c.recognised else "[bold red]未通过[/]"
    return Panel(Group(*parts), title=f"{c.name}（{c.code}）  {verdict}", title_align="left")


def print_summary(ev: Evaluation, console: Console, detail_limit: int = 20) -> None:
    width = console.width
    console.print(_overview(ev, width))
    console.print(Text(f"评估标准：{ev.standard.title}"))
    passed = sum(1 for c in ev.counties if c.recognised)
    console.print(
        f"共 {len(ev.counties)} 个区县，通过 {passed} 个，未通过 {len(ev.counties) - passed} 个。"
    )
    for c in ev.counties[:detail_limit]:
        console.print(county_panel(c, ev, width))
    if len(ev.counties) > detail_limit:
        console.print(
            f"（其余 {len(ev.counties) - detail_limit} 个区县的明细见 --format json 或 xlsx）"
        )


__all__ = ["WIDE", "county_panel", "print_summary"]
