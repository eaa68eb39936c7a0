#!/usr/bin/env bash
# Starts Kovablik with demo data on SQLite at http://127.0.0.1:8000.
#
# On a fresh machine it makes the virtual environment (.venv, or the folder named by VENV)
# and installs requirements.txt; then it migrates, loads the demo data (agencies of Kota
# Mojokerto and one account per role; safe to run again) and starts the development server
# with the background worker beside it (it prints the demo's e-mails on this console).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/venv.sh
source scripts/venv.sh requirements.txt

"$VENV/bin/python" manage.py migrate --noinput
"$VENV/bin/python" manage.py seed_demo
echo
echo "Kovablik runs at http://127.0.0.1:8000 (demo accounts: see README.md; password kovablik-demo)."
# E-mail goes through the outbox and is delivered by the worker, as in production; here it
# runs in the background and stops with the server.
"$VENV/bin/python" manage.py db_worker --no-reload --interval 1 --verbosity 0 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
"$VENV/bin/python" manage.py runserver 127.0.0.1:8000
