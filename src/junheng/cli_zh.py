"""Chinese for what the command-line library itself prints: help headings, the usage line and
its own error messages ("Missing argument", "No such option" …).

Typer (with its bundled Click) has no message catalogue, so its texts are replaced where it
prints them: the help-panel titles are module settings, the usage line and the ``--help`` option
are wrapped, and each error message is translated before it is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import typer.rich_utils as rich_utils
from typer import _click

_HEADINGS = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "查看帮助：{command_path} {help_option}",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "（已停用）",
}
_USAGE_WORDS = (
    ("Usage: ", "用法："),
    ("[OPTIONS]", "[选项]"),
    ("COMMAND [ARGS]...", "命令 [参数]..."),
)
HELP_TEXT = "显示本帮助并退出。"

_KINDS = {"argument": "参数", "option": "选项", "parameter": "参数"}
_TYPES = {"integer": "整数", "int": "整数", "float": "数字", "boolean": "“是”或“否”",
          "bool": "“是”或“否”", "path": "路径", "file": "文件"}  # fmt: skip
_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _value(text: str) -> str:
    """Why a value was refused, in Chinese."""
    for pattern, say in _VALUE_RULES:
        m = pattern.fullmatch(text.strip())
        if m:
            return say(m)
    return text


def _quote(name: str) -> str:
    return name.strip().strip("'\"")


def _unquote(text: str) -> str:
    return text.replace("'", "")


_VALUE_RULES: list[_Rule] = [
    (re.compile(r"Value error, (.+)", re.S), lambda m: _value(m[1])),
    (re.compile(r"Input should be a valid (\w+).*", re.S),
     lambda m: f"应为{_TYPES.get(m[1], m[1])}"),
    (re.compile(r"Input should be greater than or equal to (\S+?)\.?"),
     lambda m: f"应不小于 {m[1]}"),
    (re.compile(r"Input should be less than or equal to (\S+?)\.?"),
     lambda m: f"应不大于 {m[1]}"),
    (re.compile(r"Input should be greater than (\S+?)\.?"), lambda m: f"应大于 {m[1]}"),
    (re.compile(r"Input should be less than (\S+?)\.?"), lambda m: f"应小于 {m[1]}"),
    (re.compile(r"'?(.*?)'? is not one of (.+?)\.?"),
     lambda m: f"“{_quote(m[1])}”不是可选的值，可选：{_unquote(m[2])}"),
    (re.compile(r"Value (.+?) is not a valid (\w+)\.?"),
     lambda m: f"“{_quote(m[1])}”不是有效的{_TYPES.get(m[2], m[2])}"),
    (re.compile(r"'?(.*?)'? is not a valid (\w+)\.?"),
     lambda m: f"“{_quote(m[1])}”不是有效的{_TYPES.get(m[2], m[2])}"),
    (re.compile(r"'?(.*?)'? is not in the range (.+?)\.?"),
     lambda m: f"{_quote(m[1])} 不在允许的范围 {m[2]} 内"),
    (re.compile(r"(\w+) '(.*)' does not exist\.?"),
     lambda m: f"{_TYPES.get(m[1].lower(), m[1])}“{m[2]}”不存在"),
]  # fmt: skip

_RULES: list[_Rule] = [
    (re.compile(r"Missing (argument|option|parameter)\s*(.*?)\.(?: (.*))?", re.S),
     lambda m: f"缺少{_KINDS[m[1]]}{('：' + _names(m[2])) if m[2] else ''}"),
    (re.compile(r"No such option: (\S+)(?: \(Possible options: (.+)\))?", re.S),
     lambda m: f"没有选项 {m[1]}" + (f"（是否想用：{m[2]}）" if m[2] else "")),
    (re.compile(r"Option '(.+)' requires an argument\."),
     lambda m: f"选项 {m[1]} 后面须给出一个值"),
    (re.compile(r"Option '(.+)' requires (\d+) arguments\."),
     lambda m: f"选项 {m[1]} 后面须给出 {m[2]} 个值"),
    (re.compile(r"Option '(.+)' does not take a value\."),
     lambda m: f"选项 {m[1]} 不接受值"),
    (re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", re.S),
     lambda m: f"多余的参数：{m[1]}"),
    (re.compile(r"Missing command\."), lambda m: "缺少命令"),
    (re.compile(r"No such command '(.+)'\."), lambda m: f"没有命令“{m[1]}”"),
    (re.compile(r"Invalid value for (.+?): (.+)", re.S),
     lambda m: f"{_names(m[1])} 的值无效：{_value(m[2])}"),
    (re.compile(r"Invalid value: (.+)", re.S), lambda m: f"值无效：{_value(m[1])}"),
]  # fmt: skip


def _names(hint: str) -> str:
    """'--counties' / '-n' → --counties / -n; '文件' → 文件."""
    return " / ".join(_quote(p) for p in hint.split(" / "))


def translate(message: str) -> str:
    """A Click/Typer error message in Chinese (unknown ones are kept, after a Chinese lead)."""
    text = message.strip()
    for pattern, say in _RULES:
        m = pattern.fullmatch(text)
        if m:
            return say(m)
    return text if re.search(r"[\u4e00-\u9fff]", text) else f"命令行有误：{text}"


def _usage(text: str) -> str:
    for en, zh in _USAGE_WORDS:
        text = text.replace(en, zh)
    return re.sub(r"\{([^{}\s]+)\}", r"\1", text)  # {文件} → 文件


_done = False


def localise() -> None:
    """Switch the library's own texts to Chinese (once per process)."""
    global _done
    if _done:
        return
    _done = True
    for name, text in _HEADINGS.items():
        setattr(rich_utils, name, text)

    command: Any = _click.core.Command
    get_usage = command.get_usage

    def usage(self: Any, ctx: Any) -> str:
        return _usage(get_usage(self, ctx))

    command.get_usage = usage

    get_help_option = command.get_help_option

    def help_option(self: Any, ctx: Any) -> Any:
        opt = get_help_option(self, ctx)
        if opt is not None:
            opt.help = HELP_TEXT
        return opt

    command.get_help_option = help_option

    show_error = rich_utils.rich_format_error

    def error(exc: Any) -> None:
        if exc.__class__.__name__ != "NoArgsIsHelpError":
            text = translate(exc.format_message())
            exc.format_message = lambda: text
        show_error(exc)

    rich_utils.rich_format_error = error  # type: ignore[assignment]


__all__ = ["HELP_TEXT", "localise", "translate"]
