#!/usr/bin/env bash
# Starts Kovablik with demo data on SQLite at http://127.0.0.1:8000.
#
# On a fresh machine it makes the virtual environment (.venv, or the folder named by VENV)
# and installs requirements.txt; then it migrates, loads the demo data (agencies of Kota
# Mojokerto and one account per role; safe to run again) and starts the development server.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/venv.sh
source scripts/venv.sh requirements.txt

"$VENV/bin/python" manage.py migrate --noinput
"$VENV/bin/python" manage.py seed_demo
echo
echo "Kovablik runs at http://127.0.0.1:8000 (demo accounts: see README.md; password kovablik-demo)."
exec "$VENV/bin/python" manage.py runserver 127.0.0.1:8000
