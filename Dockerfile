# Production image of 象山 OA. Build: docker build -t xiangshan-oa .
# Run:   docker run -e OA_DATABASE_URL=postgresql+asyncpg://oa:PASSWORD@db:5432/oa -v oa-data:/data -p 8000:8000 xiangshan-oa
# (Not built in CI: the development machines have no Docker engine. Keep it simple. The Python part is the project
# installed with `pip install .`; tests/oa/test_packaging.py checks that every data file the code reads goes with it.)

FROM node:20-bookworm-slim AS ui
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      fontconfig fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming fonts-wqy-zenhei poppler-utils \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /data --uid 10001 oa
WORKDIR /app
COPY pyproject.toml README.md ./
COPY oa/ oa/
COPY docflow/ docflow/
COPY archive/ archive/
RUN pip install --no-cache-dir .
COPY --from=ui /src/frontend/dist /app/frontend/dist
ENV OA_DATA_DIR=/data \
    OA_FRONTEND_DIR=/app/frontend/dist \
    OA_LOG_JSON=true \
    OA_COOKIE_SECURE=true
VOLUME ["/data"]
USER oa
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz').status == 200 else 1)"
CMD ["oa", "serve", "--host", "0.0.0.0", "--port", "8000", "--migrate", "--proxy-headers"]
