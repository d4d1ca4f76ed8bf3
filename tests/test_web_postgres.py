"""The web tests also run on PostgreSQL: .ci/run starts a server and runs them again with
JUNHENG_DATABASE_URL set. Without a server these checks are skipped."""

from __future__ import annotations

import os

import pytest
from django.db import connection

URL = os.environ.get("JUNHENG_DATABASE_URL", "")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not URL.startswith("postgres"), reason="no PostgreSQL server configured "
                       "(set JUNHENG_DATABASE_URL=postgres://…; .ci/run does)"),
]  # fmt: skip


def test_runs_on_postgresql():
    assert connection.vendor == "postgresql"


def test_json_results_round_trip_on_postgresql():
    from junheng.web.info.models import EvaluationResult, EvaluationRun
    from junheng.web.info.services.workflow import evaluate_county
    from webfixtures import YEAR, build_world

    w = build_world()
    run = evaluate_county(w.users["admin"], w.own, YEAR)
    stored = EvaluationRun.objects.get(pk=run.pk)
    assert stored.result["resource"]["stages"]["primary"]["schools"] == 2
    assert EvaluationResult.objects.filter(data__recognised=True).count() == 1
