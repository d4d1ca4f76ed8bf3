"""WSGI entry point for production servers (``junheng serve``: waitress, or gunicorn workers).

The engine and the report writers (the Word one brings matplotlib) are imported here, before the first request: with
gunicorn's ``--preload`` the master imports them once and every worker shares them, instead
of each worker's first report taking a second and a half longer than the next.
"""

import gc
import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.web.settings")
application = get_wsgi_application()

import junheng.engine.api  # noqa: E402
import junheng.reports.county  # noqa: E402
import junheng.reports.declaration  # noqa: E402
import junheng.reports.word  # noqa: E402, F401

# Django, Polars, the engine and the report writers make some 200,000 objects that live as
# long as the process. A full collection walks all of them (120–160 ms, with every thread of
# the worker stopped) and would find nothing to free: kept out of the collector's sight, a
# full collection walks only what requests made. Frozen in the master before gunicorn forks,
# the workers also keep sharing these pages of memory with it instead of copying them.
gc.collect()
gc.freeze()

# A request waiting on the database gives up the interpreter lock; when its answer comes it
# waits for a thread that is computing (another page, an import) to hand the lock back,
# by default after 5 ms. A county page makes 15 queries, so it could wait 15 times as long
# as that behind one busy neighbour. 1 ms bounds that wait at little cost in switches.
sys.setswitchinterval(0.001)
