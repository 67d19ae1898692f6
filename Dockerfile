# syntax=docker/dockerfile:1

# Debian slim rather than Alpine: the native modules (ast-grep, libpg-query, squawk) ship glibc builds.
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM node:24-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    ARCHITECT_DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json ./
COPY --chown=node:node src ./src
# The embedded runtime's SQLite journal (unused with REDIS_URL): keep it across container restarts.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3000
# The slim image has no curl; Node's fetch checks readiness (503 while shutting down).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node runs the TypeScript sources directly (type stripping); SIGTERM is handled for graceful shutdown.
CMD ["node", "src/main.ts"]
