// One-shot topic setup for scripts: connect, ensure the topic, disconnect.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { makeKafkaClient } from './kafka-client.ts';
import { ensureTopic } from './topic.ts';

export async function ensureChatTopic(kafka: Config['kafka'], log: Logger): Promise<boolean> {
  const admin = makeKafkaClient(kafka.clientId, kafka.brokers, log).admin();
  await admin.connect();
  try {
    return await ensureTopic(admin, kafka, log);
  } finally {
    await admin.disconnect();
  }
}
