# CryoDay: one Node process serving the API, the live websocket and the built site.
FROM node:22-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
# The image has Node's headers under /usr/local, not /usr.
RUN sed -i 's|^nodedir=.*|nodedir=/usr/local|' .npmrc && npm ci --no-audit --no-fund
COPY . .
# The site, then the server compiled into plain JavaScript (no TypeScript loader at run time).
RUN cd web && npx vite build && cd .. && node scripts/server-bundle.mjs build/server

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATABASE_PATH=/data/cryoday.sqlite
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# The node flags are scripts/server-bundle.mjs's SERVER_NODE_FLAGS (tests/unit/server-bundle.test.ts checks).
CMD ["node", "--max-semi-space-size=1", "build/server/server/main.mjs"]
