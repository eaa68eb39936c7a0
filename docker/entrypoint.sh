#!/bin/sh
# Container start: bring the database schema up to date, then serve with gunicorn.
# With arguments, runs them instead (docker compose run --rm app python manage.py backup).
set -eu

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

python manage.py migrate --noinput
exec gunicorn kovablik.wsgi \
    --bind 0.0.0.0:8000 \
    --workers "${GUNICORN_WORKERS:-3}" \
    --timeout "${GUNICORN_TIMEOUT:-60}" \
    --access-logfile -
