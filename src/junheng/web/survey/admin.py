from __future__ import annotations

import tomllib
from typing import Any

from django import forms
from django.contrib import admin

from junheng.survey import QuestionnaireError, questionnaire_from_dict

from .models import QuestionnaireSet


class QuestionnaireSetForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = QuestionnaireSet
        fields = ["unit_code", "text"]

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        try:
            questionnaire_from_dict(tomllib.loads(text))
        except tomllib.TOMLDecodeError as exc:
            raise forms.ValidationError(f"格式错误：{exc}") from None
        except QuestionnaireError as exc:
            raise forms.ValidationError(str(exc)) from None
        return text


@admin.register(QuestionnaireSet)
class QuestionnaireSetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = QuestionnaireSetForm
    list_display = ["unit_code", "version", "created_at"]

    def save_model(self, request: Any, obj: QuestionnaireSet, form: Any, change: bool) -> None:
        obj.version = questionnaire_from_dict(tomllib.loads(obj.text)).version
        super().save_model(request, obj, form, change)
