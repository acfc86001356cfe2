FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# WeasyPrint (PDF editions) needs Pango; Chinese needs a CJK font; gettext compiles
# the Chinese catalogues; LibreOffice lays out the Word edition so its 目录 has pages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk gettext libreoffice-writer-nogui \
    && rm -rf /var/lib/apt/lists/*
ENV EDITIONS_LIBREOFFICE=/usr/bin/soffice
# Exactly the versions and files of requirements.lock (`make lock` writes it from
# pyproject.toml): a rebuild installs the same bytes. The project itself runs from
# /app and is not installed.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY . .
RUN DEBUG=1 python manage.py collectstatic --no-input \
    && DEBUG=1 python manage.py compilemessages --ignore .venv -v0
RUN useradd --system --home /app bulletin && mkdir -p /app/var/media /app/var/search-index && chown -R bulletin /app/var
USER bulletin
EXPOSE 8000
CMD ["gunicorn", "bulletin.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--graceful-timeout", "30", "--max-requests", "1000", "--max-requests-jitter", "100", "--access-logfile", "-"]
