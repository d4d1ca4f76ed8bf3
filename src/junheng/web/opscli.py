"""Operations commands of the ``junheng`` CLI: backup and restore of the information store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console

from .cli import DataDir, setup

out = Console()
_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
err = Console(stderr=True)


def _beijing(iso: str) -> str:
    return (
        datetime.fromisoformat(iso)
        .astimezone(ZoneInfo("Asia/Shanghai"))
        .strftime("%Y-%m-%d %H:%M 北京时间")
    )


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def register(app: typer.Typer) -> None:
    @app.command()
    def backup(output: Annotated[Path, typer.Argument(help="备份文件（.tar.gz）", metavar="备份文件")],
               data_dir: DataDir = None) -> None:  # fmt: skip
        """备份信息库：数据库（SQLite 在线备份或 PostgreSQL pg_dump）和全部佐证材料，附校验清单。"""
        setup(data_dir)
        from .backup import BackupError
        from .backup import backup as run

        try:
            done = run(output)
        except BackupError as exc:
            err.print("[bold red]备份失败：[/]", end="")
            err.print(str(exc), markup=False)
            raise typer.Exit(2) from exc
        out.print(f"已备份到 {output}：{_NAMES[done.database]} 数据库和 {done.files} 个佐证材料文件"
                  f"（共 {_size(done.size)}，压缩前）")  # fmt: skip

    @app.command()
    def restore(archive: Annotated[Path, typer.Argument(help="junheng backup 写出的备份文件",
                                                        metavar="备份文件")],
                yes: Annotated[bool, typer.Option("--yes", "-y", help="不询问，直接恢复")] = False,
                data_dir: DataDir = None) -> None:  # fmt: skip
        """从备份恢复信息库：先核对全部校验值，无误后一次性替换数据库和佐证材料。"""
        setup(data_dir)
        from django.core.management import call_command

        from .backup import BackupError
        from .backup import restore as run

        if not yes and not typer.confirm("恢复将替换当前的全部数据和佐证材料，确认？"):
            raise typer.Exit(1)
        try:
            done = run(archive)
        except BackupError as exc:
            err.print("[bold red]恢复失败：[/]", end="")
            err.print(str(exc), markup=False)
            raise typer.Exit(2) from exc
        # a backup of an earlier release is brought up to this release's schema
        call_command("migrate", interactive=False, verbosity=0)
        out.print(f"已从 {archive} 恢复 {_NAMES[done.database]} 数据库和 {done.files} 个佐证材料文件"
                  f"（备份时间 {_beijing(done.created)}）")  # fmt: skip
