// Creates the chat topic (KAFKA_TOPIC, default anonymous-anime-universe) if it does not exist.
// Reads the same configuration as the server. Used by start-chat.sh.
import { loadConfig } from '../server/src/config.ts';
import { ensureChatTopic } from '../server/src/kafka/ensure-chat-topic.ts';
import { makeLogger } from '../server/src/log.ts';

const loaded = loadConfig();
if (!loaded.ok) {
  console.error(`Invalid configuration:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(2);
}
const { kafka } = loaded.config;
try {
  const created = await ensureChatTopic(kafka, makeLogger('error'));
  console.log(`    topic ${kafka.topic}: ${created ? `created (${kafka.partitions} partitions, retention ${kafka.retentionMs / 3_600_000} h)` : 'exists'}`);
} catch (error) {
  console.error(`cannot reach Kafka at ${kafka.brokers.join(',')}: ${(error as Error).message}`);
  process.exit(1);
}
