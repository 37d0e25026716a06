// Entry point: load config (exit 2 on bad values), start the server, stop cleanly on signals.
import { loadConfig } from './config.ts';
import { makeLogger } from './log.ts';
import { startChatServer } from './server.ts';

const loaded = loadConfig();
if (!loaded.ok) {
  process.stderr.write(`Invalid configuration:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(2);
}
const config = loaded.config;
const log = makeLogger(config.logLevel, { instance: config.instanceId });
if (config.tokenSecretGenerated) {
  log.warn('TOKEN_SECRET is not set: using a random one, so names are not kept across restarts');
}

const server = startChatServer(config, log);

let exiting = false;
const shutdown = (signal: string) => {
  if (exiting) return;
  exiting = true;
  log.info('shutting down', { signal });
  const deadline = setTimeout(() => {
    log.error('shutdown took too long; exiting anyway', { timeoutMs: config.shutdownTimeoutMs });
    process.exit(1);
  }, config.shutdownTimeoutMs);
  server.stop().then(
    () => {
      clearTimeout(deadline);
      process.exit(0);
    },
    (error) => {
      log.error('shutdown failed', { error });
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
