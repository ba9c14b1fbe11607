"""gunicorn settings for SIMI in production.

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py

Everything that differs between machines comes from the environment:

    SIMI_BIND            address to listen on (default 127.0.0.1:8000; a reverse
                         proxy in front terminates TLS and sets X-Forwarded-Proto)
    WEB_CONCURRENCY      worker processes (default 2: one per core of the
                         reference 2-core machine)
    SIMI_WORKER_CLASS    sync (default) or gthread
    SIMI_THREADS         threads per worker when SIMI_WORKER_CLASS=gthread (default 4)
    SIMI_FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-* headers are trusted
                         (default 127.0.0.1,::1); SIMI takes the client address for
                         rate limits from X-Forwarded-For sent by these (ratelimit.py)

Why sync by default: SIMI's requests are short and CPU-bound (Python, not
waiting), so one request at a time per process is the plainest use of a core.
bench/tracking_bench.py measures both on the same machine (README.md,
"Production"): the same CPU time per request, and threads competing for the
GIL give gthread a p99 about twice as long. gthread's keep-alive saves a TCP
connection per request only for clients that connect without a proxy.

The access log is SIMI's own (``simi.access``: one JSON line per request with
its request id, path without query string, status and time), written by the
Django logging configuration to stderr; gunicorn's own access log stays off
so that each request is logged once.

A master that dies without stopping its workers (kill -9, the OOM killer)
would leave them serving and holding the port, so that no new master could
bind it: a gunicorn worker notices a new parent only between two waits for a
connection, never while it is busy. ``post_fork`` asks Linux to send each
worker SIGTERM the moment its master dies (PR_SET_PDEATHSIG): the worker
finishes the request in hand and exits, the port is free within a second or
two, and the service manager's restart succeeds (deploy/simi-web.service).
"""

import ctypes
import os
import signal
import sys
from pathlib import Path
from typing import Any

# The checkout holding manage.py: the app imports from there wherever gunicorn starts.
chdir = str(Path(__file__).resolve().parent.parent)
wsgi_app = "simi.wsgi:application"
bind = os.environ.get("SIMI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("SIMI_WORKER_CLASS", "sync")
threads = int(os.environ.get("SIMI_THREADS", "4")) if worker_class == "gthread" else 1
# Load Django once in the master: workers fork ready to serve and share memory.
# Nothing opens a database connection at import time, so none is shared.
preload_app = True
backlog = 2048
keepalive = 5
timeout = 30
graceful_timeout = 30
# Recycle a worker now and then so a slow leak never grows without bound.
max_requests = 20000
max_requests_jitter = 2000
forwarded_allow_ips = os.environ.get("SIMI_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = None
errorlog = "-"
loglevel = "warning"
proc_name = "simi-web"


def when_ready(server: object) -> None:
    """In the master, before the workers fork: import the URL configuration (every
    view and API schema, about 1.5 s of work) so that no worker pays for it on its
    first request, and make sure no database connection is inherited."""
    from django.apps import apps

    if not apps.ready:  # not preloaded, or not a Django application
        return
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imported for its side effect
    connections.close_all()


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def post_fork(server: Any, worker: Any) -> None:
    """In each new worker: SIGTERM when the master dies (Linux), so no
    orphan keeps serving; one forked after its master already died exits."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    except (OSError, AttributeError) as error:
        server.log.warning("workers will not follow a master that dies: %s", error)
        return
    if os.getppid() != worker.ppid:  # the master died before the line above
        os._exit(0)


def child_exit(server: object, worker: object) -> None:
    """In the master, after a worker died: with PROMETHEUS_MULTIPROC_DIR set,
    its live gauges leave /metrics; its counters stay (simi/core/metrics.py)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
