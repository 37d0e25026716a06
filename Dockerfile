# The chat service on the official Bun image. The build stage runs the same commands as
# ./start-chat.sh does locally (scripts/docker.test.ts runs them outside Docker to prove it).
FROM oven/bun:1.4.5 AS build
WORKDIR /app
COPY package.json bun.lock bunfig.toml ./
COPY protocol/package.json protocol/package.json
COPY server/package.json server/package.json
COPY client/package.json client/package.json
RUN bun install --frozen-lockfile
COPY protocol protocol
COPY server server
COPY client client
RUN cd client && bun --bun run build

FROM oven/bun:1.4.5
WORKDIR /app
ENV PORT=3000 HOST=0.0.0.0
COPY --from=build /app /app
USER bun
EXPOSE 3000
HEALTHCHECK --interval=5s --timeout=5s --retries=20 CMD ["bun", "-e", "const r = await fetch('http://127.0.0.1:3000/health').catch(() => null); process.exit(r?.ok ? 0 : 1)"]
CMD ["bun", "server/src/main.ts"]
