# syntax=docker/dockerfile:1
# Multi-stage: dependencies → build (swc) → slim runtime as a non-root user.
# Node 24 LTS, pinned to the version in .nvmrc (a test keeps the two equal).

FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY tsconfig.json .swcrc nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
# The console (web/ → web/dist), built by build:prod; its types come from the API's document.
COPY web ./web
COPY openapi ./openapi
# build:prod compiles only what the image runs (no bench/, no test fakes); then the dev
# dependencies go.
RUN npm run build:prod && npm prune --omit=dev

FROM node:24.21.0-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    WORKER_PORT=3001
WORKDIR /app
# Copied without --chown: the files stay owned by root and read-only for the `node` user the
# process runs as, so a compromised process cannot rewrite its own code or dependencies.
# examples/ is what `node dist/scripts/seed.js` imports; kong/kong.yml is the default
# KONG_DBLESS_BASE_CONFIG (the operator's own Kong entities, kept in every DB-less push).
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY examples ./examples
COPY kong ./kong
USER node
EXPOSE 3000 3001
# API replicas answer on PORT, worker replicas on WORKER_PORT (ROLE=worker).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "const p=process.env.ROLE==='worker'?process.env.WORKER_PORT:process.env.PORT;fetch('http://127.0.0.1:'+p+'/health/live').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# The node flags of package.json's start:prod (README, "Node 24 memory"): a test keeps them equal.
CMD ["node", "--max-semi-space-size=16", "--max-old-space-size=1536", "dist/src/main.js"]
