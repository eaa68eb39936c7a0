#!/usr/bin/env bash
# Starts Kovablik with demo data on SQLite at http://127.0.0.1:8000.
#
# On a fresh machine it makes the virtual environment (.venv, or the folder named by VENV)
# and installs requirements.txt; then it migrates, loads the demo data (agencies of Kota
# Mojokerto and one account per role; safe to run again) and starts the development server.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || { echo "Kovablik needs Python 3.11 or newer (found: $("$PYTHON" --version))." >&2; exit 1; }
    echo "Creating the virtual environment in $VENV ..."
    "$PYTHON" -m venv "$VENV"
fi

stamp="$VENV/.kovablik-requirements-runtime"
wanted="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]; then
    echo "Installing requirements.txt into $VENV ..."
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt
    echo "$wanted" >"$stamp"
fi

"$VENV/bin/python" manage.py migrate --noinput
"$VENV/bin/python" manage.py seed_demo
echo
echo "Kovablik runs at http://127.0.0.1:8000 (demo accounts: see README.md; password kovablik-demo)."
exec "$VENV/bin/python" manage.py runserver 127.0.0.1:8000
