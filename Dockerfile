# twir-bot: `docker build -t twir-bot .` then see compose.yaml (or README "Docker").
# Build stage: compilers for better-sqlite3, then the same production install CI checks (.ci/production-build).
FROM node:22-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY .ci/production-build .ci/production-build
COPY bin bin
COPY commands commands
COPY src src
RUN sh .ci/production-build

# Runtime stage: no compilers, a non-root user, the store on a volume.
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
  TWIR_DB=/data/twir.db \
  PORT=3000 \
  LOG_FORMAT=json
WORKDIR /app
# node_modules here is the build stage's `npm ci --omit=dev` (.ci/production-build): runtime dependencies only,
# with better-sqlite3 already compiled, so this stage needs no compilers and installs nothing again.
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# /healthz answers while the process is alive; an orchestrator that wants readiness polls /readyz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/twir.js", "serve"]
