"""The ``junheng`` command line: a thin layer over the core."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from . import __version__
from .cli_zh import localise
from .errors import InputError, JunhengError
from .planner.command import register as register_plan
from .reports.cli import register as register_reports
from .standard import DEFAULT_STANDARD, list_standards, load_standard
from .web.cli import register as register_web
from .web.opscli import register as register_ops

localise()
app = typer.Typer(
    name="junheng",
    help="均衡：县域义务教育优质均衡发展评估工具",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
# the terminal's width; redirected output takes COLUMNS, else 80 (the summary reads at 80)
out = Console()
err = Console(stderr=True)

EXIT_RECOGNISED, EXIT_NOT_RECOGNISED, EXIT_BAD_INPUT = 0, 1, 2


class Format(StrEnum):
    table = "table"
    json = "json"
    xlsx = "xlsx"


StandardOpt = Annotated[
    str, typer.Option("--standard", "-s", help="评估标准ID或TOML文件路径（见 junheng standards）")
]


def _fail(exc: JunhengError) -> typer.Exit:
    if isinstance(exc, InputError):
        err.print(f"[bold red]输入文件有 {len(exc.findings)} 处错误，整个文件未导入：[/]")
        for f in exc.findings[:200]:
            err.print(f"  • {f.message}", markup=False)
        if len(exc.findings) > 200:
            err.print(f"  ……另有 {len(exc.findings) - 200} 处")
    else:
        err.print(f"[bold red]错误：[/]{exc}")
    return typer.Exit(EXIT_BAD_INPUT)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    )  # fmt: skip


def _version(value: bool) -> None:
    if value:
        out.print(f"junheng {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="显示版本号并退出。"
        ),
    ] = False,
) -> None:
    """均衡：县域义务教育优质均衡发展评估工具"""


def _writable(output: Path) -> None:
    """Refuse an output path that cannot be written before any work is done."""
    folder = output.parent
    if output.is_dir():
        raise JunhengError(f"输出路径“{output}”是一个文件夹，请在 -o 后给出文件名")
    if not folder.is_dir():
        raise JunhengError(f"输出文件夹“{folder}”不存在，请先建立该文件夹或换一个路径")
    if not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise JunhengError(f"没有写入“{output}”的权限，请换一个路径")


@app.command()
def evaluate(
    file: Annotated[Path, typer.Argument(help="按数据规范填写的Excel文件", metavar="文件")],
    standard: StandardOpt = DEFAULT_STANDARD,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="输出格式")] = Format.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="输出文件",
            help="输出文件；多个区县的申报表写到 .zip 时每个区县一个工作簿",
        ),
    ] = None,
) -> None:
    """评估工作簿中的每个区县。退出码：0 通过，1 未通过，2 输入有误。"""
    from .engine.api import evaluate as run
    from .reader import read_workbook

    try:
        if output is not None:
            _writable(output)
        std = load_standard(standard)
        with _progress() as bar:
            task = bar.add_task("读取并校验数据…", total=3)
            data = read_workbook(file, std)
            bar.update(task, advance=1, description=f"评估 {data.schools.height} 所学校…")
            ev = run(data, std)
            bar.update(task, advance=1, description="输出结果…")
            _emit(ev, fmt, output)
            bar.update(task, advance=1)
    except JunhengError as exc:
        raise _fail(exc) from exc
    raise typer.Exit(EXIT_RECOGNISED if ev.all_recognised else EXIT_NOT_RECOGNISED)


def _emit(ev: object, fmt: Format, output: Path | None) -> None:
    from .reports.summary import print_summary
    from .results import Evaluation

    assert isinstance(ev, Evaluation)
    try:
        if fmt is Format.json:
            if output:
                with output.open("wb") as f:
                    ev.write_json(f)
                err.print(f"已写入 {output}")
            else:
                sys.stdout.flush()
                ev.write_json(sys.stdout.buffer)
                sys.stdout.buffer.write(b"\n")
                sys.stdout.buffer.flush()
        elif fmt is Format.xlsx:
            from .reports.tables import write_tables

            # several counties: one workbook each, zipped (a single workbook would hold
            # six sheets per county)
            default = "申报表.xlsx" if len(ev.counties) == 1 else "申报表.zip"
            target = output or Path(default)
            if output is None:
                _writable(target)
            write_tables(ev, target)
            err.print(f"已写入申报表 {target.resolve()}")
        elif output:
            with output.open("w", encoding="utf-8") as f:
                print_summary(ev, Console(file=f, width=out.width))
            err.print(f"已写入 {output}")
        else:
            print_summary(ev, out)
    except OSError as exc:
        raise JunhengError(f"无法写入“{output}”：{exc.strerror or exc}") from exc


register_web(app)
register_reports(app)
register_plan(app)
register_ops(app)


@app.command()
def template(
    output: Annotated[Path, typer.Argument(help="要写入的空白模板 .xlsx", metavar="输出文件")],
    standard: StandardOpt = DEFAULT_STANDARD,
) -> None:
    """写出空白的数据填报模板（含单位说明和下拉列表）。"""
    from .workbook import write_workbook

    try:
        _writable(output)
        std = load_standard(standard)
        try:
            write_workbook(output, standard=std)
        except OSError as exc:
            raise JunhengError(f"无法写入“{output}”：{exc.strerror or exc}") from exc
    except JunhengError as exc:
        raise _fail(exc) from exc
    out.print(f"已写入空白模板 {output}")


@app.command()
def standards() -> None:
    """列出可用的评估标准（内置标准和 JUNHENG_STANDARDS_DIR 中的本地标准）。"""
    from rich.table import Table

    try:
        found = list_standards()
    except JunhengError as exc:
        raise _fail(exc) from exc
    t = Table(title="可用的评估标准")
    for h in ("ID", "名称", "版本", "继承", "本地目标"):
        t.add_column(h)
    for s in found:
        t.add_row(s.id, s.title, s.version, s.extends or "—",
                  "、".join(f"{x.title}{x.comparison}{x.threshold:g}{x.unit}" for x in s.local_targets) or "—")  # fmt: skip
    out.print(t)


@app.command()
def demo(
    counties: Annotated[int, typer.Option("--counties", "-n", min=1, max=3000, help="区县数")] = 8,
    output: Annotated[Path, typer.Option("-o", "--output", help="输出目录")] = Path("demo-output"),
    seed: Annotated[int, typer.Option(help="随机种子")] = 2026,
    standard: StandardOpt = DEFAULT_STANDARD,
    web: Annotated[bool, typer.Option("--web/--no-web", help="同时载入网页信息库并启动")] = False,
    host: Annotated[str, typer.Option(help="网页监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="网页端口")] = 8000,
) -> None:
    """生成一个示范省的演示数据并评估，写出工作簿、JSON 和申报表；--web 再启动网页信息库。"""
    from .demo import write_demo
    from .engine.api import evaluate_file
    from .reports.summary import print_summary
    from .reports.tables import write_tables

    output.mkdir(parents=True, exist_ok=True)
    book = write_demo(output / "演示数据.xlsx", counties=counties, seed=seed)
    ev = evaluate_file(book, standard)
    (output / "评估结果.json").write_text(ev.to_json(), encoding="utf-8")
    write_tables(ev, output / "申报表.xlsx")
    print_summary(ev, out, detail_limit=3)
    out.print(f"\n演示文件已写入 {output}/：演示数据.xlsx、评估结果.json、申报表.xlsx")
    out.print(f"可再运行：junheng evaluate {book}")
    if web:
        from .web.cli import web_demo

        web_demo(counties, seed, output / "web-data", host, port, serve=True)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
