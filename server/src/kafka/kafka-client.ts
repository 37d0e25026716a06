// Builds the kafkajs client with our timeouts and routes its logs into our JSON log.
import { Kafka, logLevel, type ISocketFactory, type LogEntry } from 'kafkajs';

export type SocketFactory = ISocketFactory;
import type { Logger } from '../log.ts';

export function makeKafkaClient(clientId: string, brokers: string[], log: Logger, socketFactory?: SocketFactory): Kafka {
  const logCreator = () => ({ namespace, level, log: entry }: LogEntry) => {
    const { message, timestamp: _t, logger: _l, ...fields } = entry;
    const line = `kafkajs: ${message}`;
    if (level === logLevel.ERROR) log.error(line, { namespace, ...fields });
    else if (level === logLevel.WARN) log.warn(line, { namespace, ...fields });
    else log.debug(line, { namespace, ...fields });
  };
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    logCreator,
    connectionTimeout: 2000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, maxRetryTime: 2000, retries: 3 },
    ...(socketFactory ? { socketFactory } : {}),
  });
}
