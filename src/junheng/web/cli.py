"""Web commands of the ``junheng`` CLI: serve, createadmin, import, and the web demo."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

out = Console()
err = Console(stderr=True)


def setup(data_dir: Path | None = None) -> None:
    """Configure Django and bring the database schema up to date."""
    if data_dir is not None:
        os.environ["JUNHENG_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def serve_forever(host: str, port: int, threads: int) -> None:
    from waitress import serve

    from .wsgi import application

    out.print(f"均衡信息库已启动：[bold]http://{host}:{port}/[/]  （按 Ctrl+C 停止）")
    serve(application, host=host, port=port, threads=threads, ident="junheng")


Host = Annotated[str, typer.Option(help="监听地址；内网访问请用 0.0.0.0")]
Port = Annotated[int, typer.Option(help="端口")]
DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="数据目录（默认 ./junheng-data 或 JUNHENG_DATA_DIR）"),
]


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(host: Host = "127.0.0.1", port: Port = 8000,
              threads: Annotated[int, typer.Option(help="每个进程的工作线程数")] = 8,
              workers: Annotated[int, typer.Option(min=1, help="工作进程数（大于 1 时用 gunicorn，需 Linux/macOS）")] = 1,
              data_dir: DataDir = None) -> None:  # fmt: skip
        """启动网页信息库（生产用 waitress 或多进程 gunicorn；默认 SQLite，设置 JUNHENG_DATABASE_URL 用 PostgreSQL）。"""
        setup(data_dir)
        if workers > 1:
            from .production import exec_gunicorn, has_gunicorn

            if has_gunicorn():
                out.print(f"均衡信息库已启动：[bold]http://{host}:{port}/[/]  "
                          f"（{workers} 个工作进程，按 Ctrl+C 停止）")  # fmt: skip
                exec_gunicorn(host, port, workers, threads)
            err.print("[yellow]本系统没有 gunicorn（Windows 不支持），改用单进程 waitress[/]")
        serve_forever(host, port, threads)

    @app.command()
    def createadmin(username: Annotated[str, typer.Argument(help="管理员用户名")],
                    password: Annotated[str, typer.Option(prompt="密码", hide_input=True,
                                                          confirmation_prompt="再次输入密码")],
                    data_dir: DataDir = None) -> None:  # fmt: skip
        """创建系统管理员账号。"""
        setup(data_dir)
        from django.contrib.auth import get_user_model

        User = get_user_model()
        if User.objects.filter(username=username).exists():
            err.print(f"[red]用户“{username}”已存在[/]")
            raise typer.Exit(2)
        User.objects.create_superuser(username=username, password=password, email="")
        out.print(f"已创建系统管理员“{username}”")

    @app.command(name="import")
    def import_(file: Annotated[Path, typer.Argument(help="按数据规范填写的Excel文件")],
                year: Annotated[int, typer.Option(help="数据年度")],
                user: Annotated[str, typer.Option(help="以哪个账号的身份导入")] = "admin",
                yes: Annotated[bool, typer.Option("--yes", "-y", help="不询问，直接导入")] = False,
                data_dir: DataDir = None) -> None:  # fmt: skip
        """把工作簿导入信息库：先显示错误和变化，确认后一次性导入。"""
        setup(data_dir)
        from django.contrib.auth import get_user_model

        from .info.services.errors import ServiceError
        from .info.services.importing import confirm_import, preview_import

        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            err.print(f"[red]账号“{user}”不存在[/]")
            raise typer.Exit(2)
        try:
            preview = preview_import(account, file.read_bytes(), file.name, year)
        except (OSError, ServiceError) as exc:
            err.print(f"[red]{exc}[/]")
            raise typer.Exit(2) from exc
        if preview.findings:
            err.print(f"[bold red]发现 {len(preview.findings)} 处错误，整个文件未导入：[/]")
            for f in preview.findings:
                err.print(f"  • {f.message}", markup=False)
            raise typer.Exit(2)
        out.print(
            f"新增 {preview.count('新增')} 条，修改 {preview.count('修改')} 条，不变 {preview.count('不变')} 条"
        )
        if not yes and not typer.confirm("确认导入？"):
            raise typer.Exit(1)
        confirm_import(account, preview.token, year)
        out.print("导入完成")


def web_demo(counties: int, seed: int, data_dir: Path, host: str, port: int, serve: bool) -> None:
    """Load the demo province into a fresh database, evaluate it, print logins, serve."""
    setup(data_dir)
    from django.contrib.auth import get_user_model

    from .info.models import County
    from .info.services.demo import DEMO_PASSWORD, load_demo
    from .info.services.workflow import evaluate_county
    from .survey.demo import load_demo_surveys

    logins = load_demo(counties=counties, seed=seed)
    load_demo_surveys(2026)
    admin = get_user_model().objects.get(username="admin")
    for county in County.objects.all():
        evaluate_county(admin, county, 2026)
    from .creation.demo import load_process_demo

    extra = load_process_demo(DEMO_PASSWORD)
    out.print("\n[bold]演示账号[/]（密码均为 " + DEMO_PASSWORD + "）：")
    roles = {
        "admin": "系统管理员",
        "province": "省级",
        "city": "地市复核",
        "county": "区县督导",
        "school": "学校填报",
    }
    for login in logins:
        out.print(
            f"  {roles[login.username]:<6} 用户名 [bold]{login.username}[/]  单位 {login.unit or '全部'}"
        )
    for username, role, unit in extra:
        out.print(f"  {role} 用户名 [bold]{username}[/]  单位 {unit}")
    if serve:
        serve_forever(host, port, 8)
