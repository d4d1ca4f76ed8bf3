"""``junheng report`` and ``junheng overview``: hand-in files from a workbook or the web database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..errors import InputError, JunhengError
from ..standard import DEFAULT_STANDARD, load_standard
from .county import ReportFormat, default_name, write_county_report

err = Console(stderr=True)
EXIT_BAD_INPUT = 2


def _fail(exc: JunhengError) -> typer.Exit:
    if isinstance(exc, InputError):
        err.print(f"[bold red]输入文件有 {len(exc.findings)} 处错误：[/]")
        for f in exc.findings[:50]:
            err.print(f"  • {f.message}", markup=False)
    else:
        err.print(f"[bold red]错误：[/]{exc}", highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_BAD_INPUT)


def _from_database(county: str, year: int, data_dir: Path | None, std_ref: str,
                   fmt: ReportFormat, output: Path | None, template: Path | None) -> Path:  # fmt: skip
    """The report of a county stored in the web database (imported lazily: the core needs no web)."""
    from ..web.cli import setup

    setup(data_dir)
    from ..web.info.services.reporting import database_report

    return database_report(county, year, load_standard(std_ref), fmt, output, template)


def _target(text: str) -> tuple[int, float]:
    year, _, share = text.partition(":")
    try:
        y, v = int(year), float(share.rstrip("%"))
    except ValueError:
        raise JunhengError(f"--target 应写成 年度:占比，如 2027:30，不是“{text}”。") from None
    if not 0 <= v <= 100:
        raise JunhengError(f"--target 的占比应在 0 到 100 之间，不是“{share}”。")
    return y, v


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        file: Annotated[Path | None, typer.Argument(help="填报工作簿；不填则从网页信息库读取")] = None,
        county: Annotated[str | None, typer.Option("--county", "-c", help="区县代码或名称")] = None,
        year: Annotated[int | None, typer.Option("--year", "-y", help="评估年度")] = None,
        fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="docx 自评报告、pdf、xlsx 申报表")] = ReportFormat.docx,
        pdf: Annotated[bool, typer.Option("--pdf", help="同 --format pdf")] = False,
        output: Annotated[Path | None, typer.Option("-o", "--output", help="输出文件")] = None,
        standard: Annotated[str, typer.Option("--standard", "-s", help="评估标准ID或TOML文件")] = DEFAULT_STANDARD,
        template: Annotated[Path | None, typer.Option("--template", help="写出默认报告模板到此文件供修改，然后退出")] = None,
        use_template: Annotated[Path | None, typer.Option("--use-template", help="用修改过的模板生成报告")] = None,
        data_dir: Annotated[Path | None, typer.Option("--data-dir", help="网页信息库数据目录")] = None,
    ) -> None:  # fmt: skip
        """生成区县自评报告（Word/PDF）或申报表（表Ⅰ–表Ⅵ，Excel）。"""
        from .word import write_template

        try:
            if template is not None:
                write_template(template)
                err.print(
                    f"已写入报告模板 {template}，可在 Word 中修改标题和文字，{{{{ }}}} 标记请保留。"
                )
                raise typer.Exit(0)
            if county is None:
                raise JunhengError("请用 --county 指定区县代码或名称。")
            kind = ReportFormat.pdf if pdf else fmt
            if file is None:
                if year is None:
                    raise JunhengError("从网页信息库生成报告时须用 --year 指定评估年度。")
                done = _from_database(county, year, data_dir, standard, kind, output, use_template)
            else:
                from ..reader import read_workbook

                std = load_standard(standard)
                data = read_workbook(file, std)
                target = output or default_name(county, kind)
                done, _ = write_county_report(data, std, county, kind, target, year=year,
                                              template=use_template)  # fmt: skip
        except JunhengError as exc:
            raise _fail(exc) from exc
        err.print(f"已写入 {done}")

    @app.command()
    def overview(
        file: Annotated[Path, typer.Argument(help="含多个区县的填报工作簿")],
        fmt: Annotated[str, typer.Option("--format", "-f", help="docx 或 xlsx")] = "docx",
        output: Annotated[Path | None, typer.Option("-o", "--output", help="输出文件")] = None,
        title: Annotated[str | None, typer.Option("--title", help="报告单位，如 某某市；默认取数据中的地市或省份")] = None,
        standard: Annotated[str, typer.Option("--standard", "-s", help="评估标准ID或TOML文件")] = DEFAULT_STANDARD,
        target: Annotated[list[str] | None, typer.Option("--target", help="创建目标 年度:认定占比%，如 2027:30，可重复")] = None,
    ) -> None:  # fmt: skip
        """生成地市或省级汇总报告：区县排名、结论与原因（Word 或 Excel）。"""
        from ..engine.api import evaluate_file
        from .overview import write_overview

        try:
            if fmt not in ("docx", "xlsx"):
                raise JunhengError(f"--format 只能是 docx 或 xlsx，不是“{fmt}”。")
            goals = [_target(t) for t in target or []]
            ev = evaluate_file(file, standard)
            out = output or Path(f"汇总报告.{fmt}")
            write_overview(ev, out, title, goals)
        except JunhengError as exc:
            raise _fail(exc) from exc
        err.print(f"已写入 {out}")


__all__ = ["register"]
