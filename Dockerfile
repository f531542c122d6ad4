# The moderation service: `moderate serve` on port 8000 with the shipped model.
#   docker build -t comment-moderator .
#   docker run -p 8000:8000 -e MODERATE_API_KEY=... comment-moderator
#   podman build --format docker -t comment-moderator .   (its default OCI format drops HEALTHCHECK)
FROM python:3.11-slim

ARG MODEL_VERSION=1.3.0

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MODERATE_MODEL_PATH=/app/models/${MODEL_VERSION} \
    MODERATE_FEEDBACK_URL=sqlite:////data/feedback.db

WORKDIR /app

# Dependencies first: this layer is rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the code (not training/: serving never imports it) and the shipped model.
COPY README.md* ./
COPY app/ app/
RUN pip install --no-deps .
COPY models/${MODEL_VERSION}/ models/${MODEL_VERSION}/

RUN useradd --create-home --uid 10001 moderate \
    && mkdir -p /data && chown moderate:moderate /data
USER moderate
VOLUME ["/data"]

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)" || exit 1

CMD ["moderate", "serve", "--host", "0.0.0.0"]
