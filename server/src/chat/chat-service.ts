// Accepting a message: one path for WebSocket and HTTP. Builds the record, makes a retried
// clientId idempotent, and publishes to the log with a deadline.
import type { ChatMessage, Result } from '@anime-universe/protocol';
import { err, ok } from '@anime-universe/protocol';
import type { ChatLog } from '../kafka/chat-log.ts';
import type { Logger } from '../log.ts';
import { withTimeout } from '../with-timeout.ts';
import type { Metrics } from './metrics.ts';
import type { RecentSends } from './recent-sends.ts';

export interface SendRequest {
  room: string;
  username: string;
  /** Already normalised and validated by the protocol module. */
  text: string;
  clientId?: string;
}

export interface SendOutcome {
  message: ChatMessage;
  /** True when this clientId had been stored before; nothing new was written. */
  duplicate: boolean;
}

export interface ChatService {
  send(req: SendRequest): Promise<Result<SendOutcome>>;
  /** Every consumed message passes here so retries are recognised across instances. */
  remember(message: ChatMessage): void;
}

export function makeChatService(chatLog: ChatLog, recent: RecentSends, sendTimeoutMs: number, metrics: Metrics, log: Logger): ChatService {
  const publish = async (req: SendRequest): Promise<ChatMessage> => {
    const record = {
      id: crypto.randomUUID(),
      room: req.room,
      username: req.username,
      text: req.text,
      timestamp: new Date().toISOString(),
      ...(req.clientId ? { clientId: req.clientId } : {}),
    };
    const started = performance.now();
    try {
      const { offset } = await withTimeout(chatLog.publish(record), sendTimeoutMs, 'Kafka produce');
      metrics.recordProduce(performance.now() - started, true);
      return { ...record, offset };
    } catch (error) {
      metrics.recordProduce(performance.now() - started, false);
      throw error;
    }
  };

  return {
    async send(req) {
      const { clientId, username } = req;
      const known = clientId ? recent.get(username, clientId) : undefined;
      if (known) {
        try {
          return ok({ message: await known, duplicate: true });
        } catch {
          // the earlier attempt failed; fall through and try again
        }
      }
      const attempt = publish(req);
      if (clientId) recent.set(username, clientId, attempt);
      try {
        return ok({ message: await attempt, duplicate: false });
      } catch (error) {
        if (clientId && recent.get(username, clientId) === attempt) recent.delete(username, clientId);
        log.warn('send failed', { room: req.room, error });
        return err('kafka_unavailable', 'The message log (Kafka) is unavailable; your message was not sent. Try again.');
      }
    },
    remember(message) {
      if (message.clientId) recent.set(message.username, message.clientId, message);
    },
  };
}
