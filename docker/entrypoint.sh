#!/bin/sh
# Container start: bring the database schema up to date, then serve with gunicorn.
# With arguments, runs them instead (docker compose run --rm app python manage.py backup).
set -eu

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

python manage.py migrate --noinput
# Workers, bind address and timeout: gunicorn.conf.py (GUNICORN_WORKERS, GUNICORN_TIMEOUT).
exec gunicorn --config gunicorn.conf.py kovablik.wsgi
