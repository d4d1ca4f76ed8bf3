"""``/healthz``: is the database reachable and fully migrated? For a process manager or a load
balancer, so no login; it says only ok or not, never a name, a count or an error text."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger("junheng.ops")


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except DatabaseError:
        return False


def migrations_ok() -> bool:
    """No migration of the code is missing from the database."""
    try:
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        return not executor.migration_plan(targets)
    except DatabaseError:
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    db = database_ok()
    migrated = db and migrations_ok()
    ok = db and migrated
    if not ok:
        log.error("health check failed", extra={"event": "health", "database": db,
                                                "migrations": migrated})  # fmt: skip
    return JsonResponse(
        {"status": "ok" if ok else "error", "database": "ok" if db else "error",
         "migrations": "ok" if migrated else ("error" if db else "unknown")},
        status=200 if ok else 503,
    )  # fmt: skip
