# One image for web, worker, beat and the one-off migrate job (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint's libraries and fonts; Node for the NHS.UK frontend; the PostgreSQL client programs
# (bookworm's 15, matching the postgres:15 service) for bin/backup and bin/restore.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core nodejs npm postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The runtime lock: every package, transitive ones included, at a pinned version with its hashes.
COPY requirements.lock package.json package-lock.json ./
RUN pip install --require-hashes -r requirements.lock && npm ci --no-audit --no-fund --omit=dev
COPY . .
# Static files are collected here, once, into the image: the migrate job has none to collect.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input -v 0

RUN useradd --create-home portal && mkdir -p /app/var/media /app/var/backups && chown -R portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "icp_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
