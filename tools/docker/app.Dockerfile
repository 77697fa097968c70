# One image definition for every opzero app: docker build -f tools/docker/app.Dockerfile
#   --build-arg APP=injector -t opzero/injector . (the context is the repository root).
# Apps run from TypeScript through @swc-node/register (transpile-only, decorator metadata on),
# the same way tests and the demo run them.
FROM node:20-bookworm-slim
ARG APP
WORKDIR /opzero
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild @swc/core
COPY tsconfig.base.json tsconfig.json .swcrc ./
COPY libs libs
COPY apps/${APP} apps/${APP}
ENV APP=${APP} NODE_ENV=production KAFKAJS_NO_PARTITIONER_WARNING=1
USER node
CMD ["sh", "-c", "exec node --require @swc-node/register apps/${APP}/src/main.ts"]
