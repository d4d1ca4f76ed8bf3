"""WSGI entry point for production servers (``junheng serve``: waitress, or gunicorn workers).

The engine and the report writers (the Word one brings matplotlib) are imported here, before the first request: with
gunicorn's ``--preload`` the master imports them once and every worker shares them, instead
of each worker's first report taking a second and a half longer than the next.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.web.settings")
application = get_wsgi_application()

import junheng.engine.api  # noqa: E402
import junheng.reports.county  # noqa: E402
import junheng.reports.declaration  # noqa: E402
import junheng.reports.word  # noqa: E402, F401
