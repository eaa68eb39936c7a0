#!/usr/bin/env bash
# Runs Kovablik's whole test suite (arguments are passed on to pytest).
#
# On a fresh machine it first makes the virtual environment (.venv, or the folder named by
# VENV) and installs requirements-dev.txt; it reinstalls whenever the requirements change.
# Browser tests use Debian's Chromium at /usr/bin/chromium (apt-get install chromium).
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

stamp="$VENV/.kovablik-requirements"
wanted="$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]; then
    echo "Installing requirements-dev.txt into $VENV ..."
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
    echo "$wanted" >"$stamp"
fi

exec "$VENV/bin/python" -m pytest "$@"
