# syntax=docker/dockerfile:1
#
# One image for every service. The services share one workspace and run their TypeScript
# through tsx's loader (no build step), so they differ only in the command that starts them:
#   embedded (default)  node --import tsx embedded/src/main.ts
#   primary             node --import tsx server/src/primary/main.ts
#   player API          node --import tsx player-api/src/main.ts
#   social API          node --import tsx social-api/src/main.ts
#   game process        node --import tsx server/src/game/main.ts
#   gateway             node --import tsx server/src/gateway/main.ts
#   migrations          npm run db:migrate
# docker-compose.yml runs the cluster from this image, one `command` per service. One image
# means one build, one set of dependencies and no drift between services.
#
#   docker build -t mmo-backend .
#   docker run --init -p 2567:2567 -v mmo-data:/app/.data mmo-backend   # embedded mode

FROM node:20-bookworm-slim AS base
# npm 11 is what the lockfile was written with and what honours the `allowScripts` policy in
# package.json (dependency install scripts denied unless listed); the npm 10 bundled with
# Node 20 ignores that policy and would run them.
ARG NPM_VERSION=11.19.1
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
RUN npm install -g "npm@${NPM_VERSION}" && npm cache clean --force
WORKDIR /app

# --- Dependencies and the browser client -------------------------------------------------
FROM base AS build
# Manifests first, so that the `npm ci` layer is reused until a manifest or the lockfile
# changes. The root postinstall (scripts/prisma-generate.mjs) generates the Prisma client from
# prisma/schema.prisma into packages/platform/src/generated, so those files come too.
COPY package.json package-lock.json prisma.config.ts ./
COPY packages/shared/package.json packages/shared/
COPY packages/platform/package.json packages/platform/
COPY server/package.json server/
COPY social-api/package.json social-api/
COPY player-api/package.json player-api/
COPY client/package.json client/
COPY embedded/package.json embedded/
COPY scripts/prisma-generate.mjs scripts/
COPY prisma prisma
# Development dependencies included: the services run through tsx, and vite builds the client.
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npm run build -w @mmo/client

# --- Runtime ------------------------------------------------------------------------------
FROM base AS runtime
ENV NODE_ENV=production
# The application files stay owned by root (read-only for the service); only the embedded
# mode's DATA_DIR (.data: PGlite database, generated secrets) is writable. Mount a volume
# there to keep it across containers.
COPY --from=build /app /app
RUN mkdir -p /app/.data && chown node:node /app/.data
# The `node` user (uid 1000) ships with the base image: no service needs root.
USER node
EXPOSE 2567
# Every HTTP service and game process answers GET /health on its PORT. Slim images have no
# curl, hence Node's fetch. docker-compose.yml sets its own, and disables it for migrations.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||2567)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Embedded mode by default: every service in one process, nothing required. Other services:
# override the command (see the list at the top, and docker-compose.yml).
CMD ["node", "--import", "tsx", "embedded/src/main.ts"]
