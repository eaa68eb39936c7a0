# Kovablik for operators who run containers; see README.md, "Docker".
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint renders the PDF documents with Pango and HarfBuzz. Debian's security updates
# replace package versions in place, so pinning them would break the build, not secure it.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-dejavu-core \
        libharfbuzz-subset0 \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --no-log-init --system --create-home --uid 10001 --user-group kovablik

WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

# Static files are collected once, at build time. Settings refuse to start without a
# SECRET_KEY when DEBUG is off; this throwaway one never reaches the running container.
RUN DEBUG=0 SECRET_KEY=collectstatic-at-build-time-only ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media /app/var/backups \
    && chown -R kovablik:kovablik /app/var \
    && chmod 0755 docker/entrypoint.sh

# gunicorn: gunicorn.conf.py (1 sync worker per core; GUNICORN_WORKERS overrides).
ENV DEBUG=0 \
    MEDIA_ROOT=/app/var/media

USER 10001:10001
EXPOSE 8000
VOLUME ["/app/var/media"]

HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "docker/healthcheck.py"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
