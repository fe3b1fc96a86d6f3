# syntax=docker/dockerfile:1
# The orderflow image: every orderflow service (generator, processors, dashboard, one-shot setup
# commands) runs from it, as `docker run orderflow <command>`. TypeScript runs through tsx at run
# time (a runtime dependency), so there is no compile step; the dashboard's web assets are built
# here when package.json has a build:web script.
ARG NODE_VERSION=24.22.3

# ---- build: native Kafka client against Debian's libraries, production node_modules -------------
FROM node:${NODE_VERSION}-bookworm AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends \
       zlib1g-dev libssl-dev libzstd-dev libsasl2-dev liblz4-dev libcurl4-openssl-dev \
       build-essential python3 \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Build @confluentinc/kafka-javascript's bundled librdkafka against the system libraries above
# (as scripts/setup.sh does) instead of downloading its prebuilt binary; node-gyp takes the headers
# from this Node install.
ENV CKJS_LINKING=dynamic \
    npm_config_build_from_source=true \
    npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN if node -e "process.exit(require('./package.json').scripts?.['build:web'] ? 0 : 1)"; then \
      npm run build:web; \
    fi \
  && npm prune --omit=dev --no-audit --no-fund \
  && node -e "require('@confluentinc/kafka-javascript')"

# ---- runtime: slim Node with the shared libraries librdkafka links against ----------------------
FROM node:${NODE_VERSION}-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends \
       libssl3 libzstd1 libsasl2-2 liblz4-1 libcurl4 zlib1g ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && groupadd --system orderflow \
  && useradd --system --gid orderflow --home-dir /app --shell /usr/sbin/nologin orderflow
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
# Fails the build here, not at start-up, if a library librdkafka links against is missing.
RUN node -e "require('@confluentinc/kafka-javascript')"
USER orderflow
# Processors serve /health on ORDERFLOW_HTTP_PORT (docker-compose sets it per service and defines
# each service's own check); slim Node images have no curl, so Node's fetch does the probe.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=4 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.ORDERFLOW_HTTP_PORT || '9301') + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/orderflow.mjs"]
CMD ["--help"]
