"""Data-entry forms generated from the contract, validated by the engine's own checks."""

from __future__ import annotations

from typing import Any

from django import forms

from junheng.contract import COUNTY_BY_KEY, SCHOOL_BY_KEY

from .models import CountyRecord, SchoolRecord
from .services.records import COUNTY_KEYS, SCHOOL_KEYS, validate_school

_HEADER_TO_KEY = {c.header: c.key for c in SCHOOL_BY_KEY.values()}


class SchoolRecordForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = SchoolRecord
        fields = list(SCHOOL_KEYS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, field in self.fields.items():
            col = SCHOOL_BY_KEY.get(key)
            if col is not None:
                field.widget.attrs.update({"data-unit": col.unit})
                if isinstance(field, forms.IntegerField | forms.FloatField):
                    field.widget.attrs["min"] = 0
        if self.instance and self.instance.pk and "version" not in self.initial:
            self.initial["version"] = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = {k: data.get(k) for k in SCHOOL_KEYS}
        for f in validate_school(self.instance.school, values):
            key = _HEADER_TO_KEY.get(f.column or "")
            if key in self.fields:
                # "学校名：“X”列的值“-5”有误：…" → "值“-5”有误：…" next to field X
                self.add_error(key, f.message.split("列", 1)[1].removeprefix("的"))
            else:
                self.add_error(None, f.message)
        return data


class CountyRecordForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = CountyRecord
        fields = list(COUNTY_KEYS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, field in self.fields.items():
            col = COUNTY_BY_KEY.get(key)
            if col is not None:
                field.widget.attrs["data-unit"] = col.unit
        # a year not yet saved shows as version 0, so its first save can be told from a later one
        if self.instance is not None and "version" not in self.initial:
            self.initial["version"] = self.instance.version
