"""The what-if form: unit costs, budget and whether teachers may be moved."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from junheng.planner.costs import Costs

FIELDS = {
    "hire_qualified": "新招聘高于规定学历教师（元/人）",
    "upgrade_degree": "在职教师学历提升（元/人）",
    "train_backbone": "培养认定骨干教师（元/人）",
    "hire_backbone": "引进骨干教师（元/人）",
    "hire_pe_art": "新招聘体育艺术教师（元/人）",
    "move": "交流轮岗（元/人）",
    "teaching_area": "教学及辅助用房（元/㎡）",
    "sports_area": "运动场地（元/㎡）",
    "equipment": "教学仪器设备（元/元）",
    "multimedia_room": "网络多媒体教室（元/间）",
    "lease_sports": "租用校外体育场馆（元/㎡）",
}
CHECKS = ("allow_moves", "allow_lease")
LIMITS = ("budget", "years", "max_per_school", "cannot_build", *CHECKS)


def _plain(value: float) -> float | int:
    """120000 rather than 120000.0 in the input."""
    return int(value) if float(value).is_integer() else value


_MESSAGES = {"required": "请填写单位成本", "invalid": "请填写数字", "min_value": "不能小于 0"}


class PlanForm(forms.Form):
    budget = forms.FloatField(label="预算上限（元，可不填）", required=False, min_value=0)
    years = forms.IntegerField(label="分几年完成（可不填）", required=False, min_value=1,
                               max_value=20)  # fmt: skip
    max_per_school = forms.FloatField(label="每校投入上限（元，可不填）", required=False,
                                      min_value=0)  # fmt: skip
    allow_moves = forms.BooleanField(label="测算县域内教师交流轮岗", required=False)
    allow_lease = forms.BooleanField(
        label="允许租用场馆计入体育运动场馆面积（须省级允许，凭租用合同）", required=False
    )

    cannot_build = forms.MultipleChoiceField(
        label="不能新建校舍和场地的学校", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, defaults: Costs, *args: Any, schools: Sequence[tuple[str, str]] = (), **kwargs: Any
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        field = self.fields["cannot_build"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(schools)
        field.initial = sorted(defaults.cannot_build)
        field.error_messages["invalid_choice"] = "没有这所学校：%(value)s"
        for key, label in FIELDS.items():
            self.fields[key] = forms.FloatField(
                label=label,
                min_value=0,
                initial=_plain(getattr(defaults, key)),
                error_messages=_MESSAGES,
            )
        self.fields["allow_moves"].initial = defaults.allow_moves
        self.fields["allow_lease"].initial = defaults.allow_lease
        self.fields["years"].error_messages.update(
            {"invalid": "请填写整数", "min_value": "至少 1 年", "max_value": "至多 20 年"}
        )
        self.fields["max_per_school"].error_messages.update(
            {"invalid": "请填写数字（元）", "min_value": "不能小于 0"}
        )
        self.fields["budget"].error_messages.update(
            {"invalid": "请填写数字（元）", "min_value": "不能小于 0"}
        )

    def costs(self, defaults: Costs) -> Costs:
        d = self.cleaned_data
        return defaults.with_changes(allow_moves=bool(d["allow_moves"]),
                                     allow_lease=bool(d["allow_lease"]),
                                     max_per_school=float(d["max_per_school"] or 0),
                                     cannot_build=frozenset(d["cannot_build"]),
                                     **{k: float(d[k]) for k in FIELDS})  # fmt: skip
