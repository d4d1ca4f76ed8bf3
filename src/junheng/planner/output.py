"""The plan printed to the console and written to Excel."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, BinaryIO

from rich.cells import cell_len
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..display import cv, fmt, rounded
from .report import money

# Chinese lines break between any two characters, but not inside a figure with its unit, not
# before closing punctuation and not after an opening one (rich breaks only at spaces)
_TOKEN = re.compile(r"\d[\d.,]*(?: ?(?:万元|㎡|人|间|所|项|%))?|[A-Za-z_]+| +|.")
_NO_START = frozenset("，。；：、）”》％%,.;:)")
_NO_END = frozenset("（“《(")


def wrap(text: str, width: int) -> list[str]:
    """*text* in lines of at most *width* cells (a token wider than that stands alone)."""
    glued: list[str] = []
    for t in _TOKEN.findall(text):
        if glued and (t[0] in _NO_START or glued[-1][-1] in _NO_END):
            glued[-1] += t
        else:
            glued.append(t)
    lines, cur = [], ""
    for t in glued:
        if cur.strip() and cell_len(cur + t.rstrip()) > width:
            lines.append(cur.rstrip())
            cur = t.lstrip()
        else:
            cur += t
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def _listed(head: str, items: list[str], width: int, numbered: bool) -> Text:
    """A heading and its items, each wrapped with a hanging indent."""
    out = [head]
    for i, item in enumerate(items, 1):
        mark = f"  {i}. " if numbered else "  • "
        pad = " " * cell_len(mark)
        lines = wrap(item, max(width - cell_len(mark), 10)) or [""]
        out += [mark + lines[0], *(pad + x for x in lines[1:])]
    return Text("\n".join(out))


def print_plan(d: dict[str, Any], console: Console) -> None:
    """The plan of :func:`report.plan_dict` as county panels and a closing line."""
    for c in d["counties"]:
        t = Table(show_header=True, header_style="bold", expand=False)
        for h in ("学段", "指标", "差异系数（测算前→后）", "上限"):
            t.add_column(h)
        for st in c["stages"]:
            for x in st["cvs"]:
                if x["before"] is None or (x["pass_before"] and x["before"] == x["after"]):
                    continue
                mark = "" if x["pass_after"] else " ✗"
                t.add_row(st["stage"], x["indicator"], f"{cv(x['before'])} → {cv(x['after'])}{mark}",
                          cv(st["cv_max"]))  # fmt: skip
        lines = [
            "达标学校：" + "；".join(
                f"{st['stage']} {st['passing_before']}/{st['schools']} → {st['passing_after']}/{st['schools']}"
                for st in c["stages"]
            ),
            f"本县测算投入：{money(c['cost'])}",
        ]  # fmt: skip
        schools = [s for s in d["schools"] if s["county_code"] == c["county_code"]]
        body: list[Any] = ["\n".join(lines)]
        if t.row_count:
            body.append(t)
        inner = console.width - 4  # the panel's borders and padding
        if schools:
            body.append(_listed("逐校措施：", [s["text"] for s in schools], inner, True))
        elif c["passes"]:
            body.append("资源配置已达标，无需增加投入。")
        if c["still_failing"]:
            body.append(_listed("仍未达标：", c["still_failing"], inner, False))
        if c.get("why"):
            body.append(_listed("原因：", c["why"], inner, False))
        verdict = (
            "[green]测算后资源配置达标[/]" if c["passes"] else "[red]测算后资源配置仍未达标[/]"
        )
        from rich.console import Group

        console.print(Panel(Group(*body), title=f"{c['county_name']}（{c['county_code']}）  {verdict}",
                            title_align="left"))  # fmt: skip
    if d["totals"]:
        t = Table(title="分项合计", header_style="bold")
        for h in ("措施", "数量", "单位", "金额"):
            t.add_column(h)
        for x in d["totals"]:
            t.add_row(x["title"], fmt(x["quantity"], 2 if x["unit"] == "万元" else 0), x["unit"],
                      money(x["cost"]))  # fmt: skip
        console.print(t)
    if d.get("schedule"):
        console.print(schedule_table(d["schedule"]))
    console.print(Text("\n".join(wrap(status_line(d), console.width))))


def schedule_table(sc: dict[str, Any]) -> Table:
    """Totals by year and kind, with each year's sum."""
    t = Table(title=f"分年度投入（{sc['years']}年，每年约{money(sc['per_year'])}，先易后难）",
              header_style="bold")  # fmt: skip
    for h in ("年度", "措施", "数量", "单位", "金额"):
        t.add_column(h)
    for y in sc["by_year"]:
        for k in (k for k in sc["by_kind"] if k["year"] == y["year"]):
            t.add_row(f"第{y['year']}年", k["title"], fmt(k["quantity"], 2 if k["unit"] == "万元" else 0),
                      k["unit"], money(k["cost"]))  # fmt: skip
        over = "（超出当年预算）" if y["over"] else ""
        t.add_row(f"第{y['year']}年", f"[bold]小计（{y['measures']}项措施）{over}[/]", "", "",
                  f"[bold]{money(y['cost'])}[/]")  # fmt: skip
    return t


def status_line(d: dict[str, Any]) -> str:
    budget = f"，预算 {money(d['budget'])}" if d["budget"] is not None else ""
    gap = fmt(d["mip_gap"] * 100, 2)
    if d["mip_gap"] <= 1e-9:
        solved = "已证明最优" if d["status"] == "最优" else d["status"]
    elif d["status"] == "最优":
        # the solver's optimum, rounded up to whole ㎡ and 元: the rounding is what is left
        solved = f"已求得最优解，取整到整平方米、整元后与最优解的相对差距不超过 {gap}%"
    else:
        solved = f"{d['status']}，与最优解的相对差距不超过 {gap}%"
    head = (
        "全部区县测算后资源配置达标"
        if d["reached"]
        else "在给定条件下不能使全部区县资源配置达标（见“仍未达标”）"
    )
    return (f"{head}。合计投入 {money(d['total_cost'])}{budget}；{solved}；"
            f"差异系数切割平面 {d['cut_rounds']} 轮；方案已由评估引擎重新评估核验。")  # fmt: skip


def write_plan_xlsx(d: dict[str, Any], path: Path | BinaryIO) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(path if not isinstance(path, Path) else str(path))
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    yuan = book.add_format({"num_format": "#,##0"})
    three = book.add_format({"num_format": "0.000"})

    def sheet(name: str, headers: list[str], rows: list[list[Any]], widths: list[int]) -> None:
        ws = book.add_worksheet(name)
        ws.write_row(0, 0, headers, head)
        for i, w in enumerate(widths):
            fmt_ = wrap if w >= 40 else (yuan if "元" in headers[i] else None)
            ws.set_column(i, i, w, fmt_)
        for r, row in enumerate(rows, start=1):
            for j, v in enumerate(row):
                ws.write(
                    r,
                    j,
                    "" if v is None else v,
                    three if "差异系数" in headers[j] and isinstance(v, float) else None,
                )
        ws.freeze_panes(1, 0)

    sheet("测算汇总", ["区县代码", "区县名称", "测算后达标", "投入（元）", "仍未达标", "原因"],
          [[c["county_code"], c["county_name"], "是" if c["passes"] else "否", rounded(c["cost"], 0),
            "\n".join(c["still_failing"]), "\n".join(c.get("why", []))] for c in d["counties"]],
          [10, 14, 10, 16, 60, 60])  # fmt: skip
    sheet("逐校措施", ["区县代码", "学校标识码", "学校名称", "学段", "措施", "数量", "单位", "金额（元）", "说明"],
          [[a["county_code"], a["code"], a["name"], a["stage"], a["title"], a["quantity"], a["unit"],
            rounded(a["cost"], 0), a["partner"]] for a in d["actions"]],
          [10, 12, 20, 6, 28, 10, 6, 14, 24])  # fmt: skip
    sheet("逐校说明", ["区县代码", "学校标识码", "学校名称", "金额（元）", "说明"],
          [[s["county_code"], s["code"], s["name"], rounded(s["cost"], 0), s["text"]] for s in d["schools"]],
          [10, 12, 20, 14, 90])  # fmt: skip
    sheet("差异系数", ["区县代码", "学段", "指标", "测算前差异系数", "测算后差异系数", "上限"],
          [[c["county_code"], st["stage"], x["indicator"], x["before"], x["after"], st["cv_max"]]
           for c in d["counties"] for st in c["stages"] for x in st["cvs"]],
          [10, 6, 16, 14, 14, 8])  # fmt: skip
    sheet("分项合计", ["措施", "数量", "单位", "金额（元）"],
          [[x["title"], x["quantity"], x["unit"], rounded(x["cost"], 0)] for x in d["totals"]],
          [30, 12, 8, 16])  # fmt: skip
    sc = d.get("schedule")
    if sc:
        rows = []
        for y in sc["by_year"]:
            rows += [[f"第{y['year']}年", k["title"], k["quantity"], k["unit"], rounded(k["cost"], 0)]
                     for k in sc["by_kind"] if k["year"] == y["year"]]  # fmt: skip
            rows.append([f"第{y['year']}年", "小计" + ("（超出当年预算）" if y["over"] else ""),
                         None, None, rounded(y["cost"], 0)])  # fmt: skip
        sheet(
            "分年度投入", ["年度", "措施", "数量", "单位", "金额（元）"], rows, [8, 30, 12, 8, 16]
        )
        sheet("分年度措施", ["年度", "区县代码", "学校标识码", "学校名称", "学段", "措施", "数量", "单位",
                        "金额（元）"],
              [[f"第{a['year']}年", a["county_code"], a["code"], a["name"], a["stage"], a["title"],
                a["quantity"], a["unit"], rounded(a["cost"], 0)] for a in sc["items"]],
              [8, 10, 12, 20, 6, 28, 10, 6, 14])  # fmt: skip
    ws = book.add_worksheet("说明")
    ws.set_column(0, 0, 120, wrap)
    ws.write(0, 0, status_line(d))
    book.close()
