// Builds the kafkajs client with our timeouts and socket options and routes its logs into our
// JSON log.
import net from 'node:net';
import { Kafka, logLevel, type ISocketFactory, type LogEntry } from 'kafkajs';
import type { Logger } from '../log.ts';

export type SocketFactory = ISocketFactory;

/**
 * Broker connections with Nagle's algorithm off. kafkajs leaves it on, so a small request
 * written while an earlier segment is unacknowledged waits for the broker's delayed ACK
 * (up to 40 ms on Linux): that was most of the produce-latency tail.
 */
export const noDelaySocketFactory: SocketFactory = ({ host, port, onConnect }) => {
  const socket = net.connect({ host, port }, onConnect);
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 60_000);
  return socket;
};

export function makeKafkaClient(clientId: string, brokers: string[], log: Logger, socketFactory?: SocketFactory): Kafka {
  const logCreator = () => ({ namespace, level, log: entry }: LogEntry) => {
    const { message, timestamp: _t, logger: _l, ...fields } = entry;
    const line = `kafkajs: ${message}`;
    // Retries are bounded on purpose (the publisher owns the deadline); a send that runs out of
    // them is reported unknown and a retry passes a read barrier, so nothing is stored twice.
    if (message.startsWith('Limiting retries for the idempotent producer')) return log.debug(line, { namespace });
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
    socketFactory: socketFactory ?? noDelaySocketFactory,
  });
}
