# One image for web (gunicorn), worker and beat (Celery).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/var/lib/pilkada-desk
WORKDIR /app
COPY bin/ensure-system-packages bin/
RUN bin/ensure-system-packages && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input -v0 \
    && useradd --system --home /app desk && mkdir -p $VAR_DIR/media && chown -R desk $VAR_DIR
USER desk
EXPOSE 8000
CMD ["gunicorn", "pilkada_desk.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
