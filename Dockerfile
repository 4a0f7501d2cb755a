# syntax=docker/dockerfile:1
#
# warmline service image:          docker build -t warmline .
# speech emulator (with espeak-ng): docker build --target emulator -t warmline-emulator .
#
# Reproducible: one pinned Node image for every stage, dependencies exactly as package-lock.json says (npm ci).
# For bit-for-bit rebuilds pin the digest too: --build-arg NODE_IMAGE=node:20.20.2-bookworm-slim@sha256:...
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- build: compile TypeScript (needs the dev dependencies; none of this stage reaches the final image) ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
# The browser pages (demo and dashboard), bundled by esbuild into dist/web after nest build.
COPY scripts/build-web.js ./scripts/build-web.js
COPY web ./web
RUN npm run build

# ---- emulator (optional target): the speech emulator alone, with espeak-ng so its voices speak words and
# opus-tools (opusenc) for the service's Ogg Opus output formats ----
FROM ${NODE_IMAGE} AS emulator
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN apt-get update \
  && apt-get install -y --no-install-recommends espeak-ng opus-tools \
  && rm -rf /var/lib/apt/lists/*
# The image's `node` user, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 5099
STOPSIGNAL SIGTERM
CMD ["node", "dist/emulator/cli.js", "--host", "0.0.0.0", "--port", "5099"]

# ---- service (the default target): production dependencies and the compiled code, nothing else ----
FROM ${NODE_IMAGE} AS service
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The encoders of the speech formats warmline makes itself from the upstream's PCM: flac (FLAC), ffmpeg (AAC).
RUN apt-get update \
  && apt-get install -y --no-install-recommends flac ffmpeg \
  && rm -rf /var/lib/apt/lists/*
# Files stay owned by root: the service cannot change its own code. The image's `node` user, by number so
# Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
# Node itself is PID 1 (no npm, no shell), so SIGTERM reaches the service and it drains before exiting.
STOPSIGNAL SIGTERM
# Slim images have no curl: Node asks /health/live on the configured PORT.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "require('node:http').get({host:'127.0.0.1',port:process.env.PORT||3000,path:'/health/live',timeout:3000},r=>process.exit(r.statusCode===200?0:1)).on('timeout',()=>process.exit(1)).on('error',()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
