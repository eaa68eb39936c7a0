#!/usr/bin/env bash
# Runs Kovablik's whole test suite (arguments are passed on to pytest).
#
# On a fresh machine it first makes the virtual environment (.venv, or the folder named by
# VENV) and installs requirements-dev.txt; it reinstalls whenever the requirements change.
# Debian packages it needs (Chromium for the browser tests, HarfBuzz for WeasyPrint,
# gettext) are installed when missing if it runs as root: see system-packages.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/system-packages.sh
source scripts/system-packages.sh

# shellcheck source=scripts/venv.sh
source scripts/venv.sh requirements-dev.txt

# One pytest-xdist worker per CPU, each with its own test database (test_<name>_gw0, ...);
# `./scripts/test.sh -n 0` runs everything in this one process.
exec "$VENV/bin/python" -m pytest -n auto "$@"
