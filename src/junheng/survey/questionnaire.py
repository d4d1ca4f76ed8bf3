"""Questionnaire sets as data: the default set shipped with junheng, overlays by file.

A set is versioned because answers are only comparable with the wording they answered; the web
app stores the version beside every return.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from junheng.errors import JunhengError

Counts = Literal["satisfied", "neutral", "unsatisfied", "unknown"]
COUNTS: tuple[Counts, ...] = ("satisfied", "neutral", "unsatisfied", "unknown")

GROUPS: dict[str, str] = {
    "student": "学生",
    "parent": "家长",
    "teacher": "教师",
    "principal": "校长",
    "npc": "人大代表",
    "cppcc": "政协委员",
    "public": "其他群众",
}
"""Respondent groups of the standard, in the order of 申报表 表Ⅵ."""


class QuestionnaireError(JunhengError):
    """A questionnaire file is malformed; the message names the entry."""


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    label: str
    counts: Counts


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    theme: str
    text: str
    student_text: str
    groups: tuple[str, ...]
    overall: bool = False

    def text_for(self, group: str) -> str:
        return self.student_text if group == "student" else self.text


@dataclass(frozen=True, slots=True)
class Questionnaire:
    version: str
    title: str
    options: tuple[Option, ...]
    questions: tuple[Question, ...]
    groups: dict[str, str] = field(default_factory=lambda: dict(GROUPS))

    def for_group(self, group: str) -> tuple[Question, ...]:
        if group not in self.groups:
            raise QuestionnaireError(f"未知的调查对象类别：{group}")
        return tuple(q for q in self.questions if group in q.groups)

    def option(self, key_or_label: str) -> Option | None:
        text = key_or_label.strip()
        for opt in self.options:
            if text in (opt.key, opt.label):
                return opt
        return None

    @property
    def overall(self) -> Question:
        return next(q for q in self.questions if q.overall)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "title": self.title,
            "groups": self.groups,
            "options": [{"key": o.key, "label": o.label, "counts": o.counts} for o in self.options],
            "questions": [
                {
                    "id": q.id,
                    "theme": q.theme,
                    "text": q.text,
                    "student_text": q.student_text,
                    "groups": list(q.groups),
                    "overall": q.overall,
                }
                for q in self.questions
            ],
        }


def _parse(data: dict[str, Any], where: str) -> Questionnaire:
    try:
        options = tuple(
            Option(str(o["key"]), str(o["label"]), o["counts"]) for o in data["options"]
        )
        groups = {str(k): str(v) for k, v in data.get("groups", GROUPS).items()}
        questions = tuple(
            Question(
                id=str(q["id"]),
                theme=str(q["theme"]),
                text=str(q["text"]),
                student_text=str(q.get("student_text", q["text"])),
                groups=tuple(q.get("groups", list(groups))),
                overall=bool(q.get("overall", False)),
            )
            for q in data["questions"]
        )
        version, title = str(data["version"]), str(data["title"])
    except (KeyError, TypeError) as exc:
        raise QuestionnaireError(f"{where}：问卷文件缺少必填项 {exc}") from None
    bad = [o.key for o in options if o.counts not in COUNTS]
    if bad:
        raise QuestionnaireError(f"{where}：选项 {'、'.join(bad)} 的 counts 只能是 {COUNTS}")
    if sum(q.overall for q in questions) != 1:
        raise QuestionnaireError(f"{where}：问卷须有且只有一道总体满意度题（overall = true）")
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise QuestionnaireError(f"{where}：题目编号重复")
    unknown = {g for q in questions for g in q.groups} - set(groups)
    if unknown:
        raise QuestionnaireError(
            f"{where}：题目使用了未定义的调查对象 {'、'.join(sorted(unknown))}"
        )
    return Questionnaire(version, title, options, questions, groups)


def questionnaire_from_dict(data: dict[str, Any]) -> Questionnaire:
    """A set stored with a survey (the :meth:`Questionnaire.to_dict` form)."""
    return _parse(data, "问卷")


def default_questionnaire() -> Questionnaire:
    text = resources.files("junheng.survey").joinpath("questionnaires.toml").read_text("utf-8")
    return _parse(tomllib.loads(text), "默认问卷")


def load_questionnaire(path: Path) -> Questionnaire:
    """A province's or county's own set; it replaces the default set as a whole."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise QuestionnaireError(f"无法读取问卷文件 {path}：{exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise QuestionnaireError(f"问卷文件 {path} 格式错误：{exc}") from None
    return _parse(data, str(path))
