# Sourced by demo.sh and test.sh: makes the virtual environment (.venv, or the folder named
# by VENV) on a fresh machine and installs the requirements file given as $1 whenever it
# (or a file it includes) changes.
VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || { echo "Kovablik needs Python 3.11 or newer (found: $("$PYTHON" --version))." >&2; exit 1; }
    echo "Creating the virtual environment in $VENV ..."
    "$PYTHON" -m venv "$VENV"
fi

stamp="$VENV/.kovablik-${1%.txt}"
wanted="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]; then
    echo "Installing $1 into $VENV ..."
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$1"
    echo "$wanted" >"$stamp"
fi
