# resultsbot: a small image that runs `resultsbot serve` as a non-root user.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY store ./store
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORT=3000
RUN useradd --create-home --uid 10001 resultsbot
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER resultsbot
WORKDIR /home/resultsbot
# The SQLite default lives in the user's data directory; mount a volume there, or set DATABASE_URL.
VOLUME ["/home/resultsbot/.local/share/resultsbot"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import os,urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\",\"3000\")}/healthz', timeout=2)"
CMD ["resultsbot", "serve"]
