"""The ``junheng plan`` command."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..errors import InputError, JunhengError
from ..standard import DEFAULT_STANDARD


class PlanFormat(StrEnum):
    table = "table"
    json = "json"
    xlsx = "xlsx"


def register(app: typer.Typer) -> None:
    app.command("plan")(plan_command)


def plan_command(
    file: Annotated[Path, typer.Argument(help="按数据规范填写的Excel文件")],
    county: Annotated[list[str] | None, typer.Option("--county", "-c", help="只测算这个区县（区县代码，可多次给出）")] = None,
    costs: Annotated[Path | None, typer.Option("--costs", help="单位成本文件（TOML），不给则用默认成本")] = None,
    budget: Annotated[float | None, typer.Option("--budget", help="预算上限（元）：不够时给出最接近达标的方案")] = None,
    fmt: Annotated[PlanFormat, typer.Option("--format", "-f", help="输出格式")] = PlanFormat.table,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="输出文件")] = None,
    apply: Annotated[Path | None, typer.Option("--apply", help="把方案的增加量写入工作簿的副本（.xlsx）")] = None,
    standard: Annotated[str, typer.Option("--standard", "-s", help="评估标准ID或TOML文件路径")] = DEFAULT_STANDARD,
    years: Annotated[int | None, typer.Option("--years", min=1, max=20, help="把方案分摊到几年（先易后难，给出分年度合计）")] = None,
    year_budget: Annotated[float | None, typer.Option("--year-budget", help="每年预算（元）：按年安排措施")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=1, help="求解时限（秒）")] = 10.0,
) -> None:  # fmt: skip
    """达标测算：使资源配置达标的最低投入方案（逐校新增教师、交流轮岗、校舍场地、设备、教室）。

    退出码：0 方案使所选区县全部达标，1 在给定条件下不能达标，2 输入有误。
    """
    import json

    from ..cli import _fail, _writable, err, out
    from ..reader import read_workbook
    from ..standard import load_standard
    from .apply import write_applied
    from .costs import load_costs
    from .output import print_plan, write_plan_xlsx
    from .report import plan_dict
    from .solve import plan

    try:
        for target in (output, apply):
            if target is not None:
                _writable(target)
        if apply is not None and apply.suffix.lower() != ".xlsx":
            raise JunhengError(f"--apply 应给出 .xlsx 文件名，给出的是“{apply}”")
        std = load_standard(standard)
        unit_costs = load_costs(costs)
        data = read_workbook(file, std)
        err.print(f"测算 {data.schools.height} 所学校…") if err.is_terminal else None
        result = plan(data, std, unit_costs, county or None, budget, time_limit)
        d = plan_dict(result, years, year_budget)
        if fmt is PlanFormat.json:
            text = json.dumps(d, ensure_ascii=False, indent=2, allow_nan=False)
            if output:
                output.write_text(text, encoding="utf-8")
                err.print(f"已写入 {output}")
            else:
                sys.stdout.write(text + "\n")
        elif fmt is PlanFormat.xlsx:
            target = output or Path("达标测算.xlsx")
            write_plan_xlsx(d, target)
            err.print(f"已写入测算表 {target}")
        else:
            console = Console(file=output.open("w", encoding="utf-8"), width=140) if output else out
            print_plan(d, console)
        if apply is not None:
            n = write_applied(file, apply, result.additions)
            err.print(
                f"已把方案写入 {apply}（修改 {n} 个单元格），可运行 junheng evaluate {apply} 核验"
            )
            if any(a["action"] == "lease_sports" for a in d["actions"]):
                err.print(
                    "注意：方案中的租用场馆面积已计入“运动场地面积”列（数据规范没有单列租用面积）。"
                )
    except InputError as exc:
        raise _fail(exc) from exc
    except JunhengError as exc:
        # the message quotes TOML sections such as [teachers]: not rich markup
        err.print(f"错误：{exc}", markup=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    raise typer.Exit(0 if result.reached else 1)
