#!/bin/sh
# Serve SIMI and one background worker together; Ctrl+C (or SIGTERM) stops both.
set -eu
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8000}
"$BIN/python" manage.py run_worker --queue-name '*' --no-reload &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "SIMI: http://127.0.0.1:$PORT/  (demo accounts: see README.md)"
"$BIN/python" manage.py runserver --noreload "127.0.0.1:$PORT"
