// Starts real chat servers for integration tests against the test broker, each test file on a
// topic of its own so files cannot disturb each other.
import { loadConfig, type Config } from '../config.ts';
import { makeLogger, silentLogger } from '../log.ts';
import type { KafkaSettings } from '../kafka/kafka-log.ts';
import { startChatServer, type RunningServer } from '../server.ts';
import { waitFor } from './wait-for.ts';

export const TEST_BROKERS = process.env.TEST_KAFKA_BROKERS ?? '127.0.0.1:19092';

export function uniqueTopic(name: string): string {
  return `test-${name}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Config for a test server: generous limits unless the test overrides them. */
export function testConfig(env: Record<string, string> = {}): Config {
  const loaded = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    KAFKA_BROKERS: TEST_BROKERS,
    TOKEN_SECRET: 'test-secret-test-secret-test-secret-42',
    RATE_CONN_PER_SEC: '1000',
    RATE_CONN_BURST: '1000',
    RATE_IP_PER_SEC: '1000',
    RATE_IP_BURST: '1000',
    CLIENT_DIST: '/nonexistent-client-dist',
    HISTORY_DB: ':memory:', // tests that restart a server give it a file
    // Load and delivery tests send at once and may repeat a text; the flood tests set their own.
    NEW_ARRIVAL_WAIT_MS: '0',
    NEW_ARRIVAL_LINK_WAIT_MS: '0',
    FLOOD_REPEAT_LIMIT: '1000000',
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  return loaded.config;
}

export async function startTestServer(env: Record<string, string> = {}, extra: Pick<KafkaSettings, 'socketFactory'> = {}): Promise<RunningServer> {
  const log = process.env.TEST_LOG ? makeLogger('debug') : silentLogger;
  const server = startChatServer(testConfig(env), log, extra);
  await waitFor(async () => (await fetch(`${server.url}/health`)).status === 200, 'the test server to be healthy', 30_000);
  return server;
}
