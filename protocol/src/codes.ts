// Stable error codes with their HTTP statuses, and WebSocket close codes split into retry/stop.

export const ERRORS = {
  invalid_json: { status: 400, message: 'The body or frame is not valid JSON.' },
  invalid_request: { status: 400, message: 'The request does not match the API.' },
  text_empty: { status: 400, message: 'Message text is empty.' },
  text_too_long: { status: 413, message: 'Message text is longer than 500 characters.' },
  invalid_room: { status: 400, message: 'Room names are lowercase slugs (a-z, 0-9, dashes) of at most 32 characters.' },
  invalid_username: { status: 400, message: 'Usernames are 2-32 letters, digits, "_" or "-".' },
  invalid_client_id: { status: 400, message: 'clientId must be 1-64 letters, digits, "_" or "-".' },
  body_too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, message: 'Send the body as application/json.' },
  name_taken: { status: 409, message: 'That name belongs to someone online; send their token to use it.' },
  rate_limited: { status: 429, message: 'Too many messages; wait a moment.' },
  kafka_unavailable: { status: 503, message: 'The message log (Kafka) did not take the message; nothing was stored. Try again shortly.' },
  outcome_unknown: { status: 503, message: 'Kafka has not confirmed the message in time; it may have been stored. Retry with the same clientId: it is stored at most once.' },
  server_busy: { status: 503, message: 'Too many messages are waiting for Kafka; nothing was stored. Try again shortly.' },
  history_unavailable: { status: 503, message: 'History is not ready yet (the server is still reading the log); try again shortly.' },
  not_found: { status: 404, message: 'Nothing here.' },
  message_not_found: { status: 404, message: 'No message of this room has that offset.' },
  unauthorized: { status: 401, message: 'Send a moderator token, or your chat token, as a Bearer token.' },
  forbidden: { status: 403, message: 'Only a moderator, or the author within the allowed time, may do this.' },
  timed_out: { status: 403, message: 'A moderator has timed you out; you can read but not post for now.' },
  new_arrival: { status: 429, message: 'Welcome! New arrivals wait a few seconds before their first message.' },
  links_not_yet: { status: 429, message: 'New arrivals wait a little before posting links.' },
  repeated_text: { status: 429, message: 'You just sent that; say something new.' },
  too_many_links: { status: 400, message: 'Too many links in one message.' },
  too_many_mentions: { status: 400, message: 'Too many mentions in one message.' },
  invalid_reaction: { status: 400, message: 'React with one emoji.' },
  reaction_limit: { status: 409, message: 'This message has as many different reactions as it can take.' },
  message_removed: { status: 409, message: 'That message was removed.' },
  slow_mode: { status: 429, message: 'Slow mode is on in this room; wait a little before your next message.' },
  text_blocked: { status: 400, message: 'The message contains a word this chat does not allow.' },
  dm_refused: { status: 403, message: 'That name does not take private messages.' },
  dm_unknown: { status: 404, message: 'That name is not online, and you have no private thread with it.' },
  passcode_required: { status: 403, message: 'This room needs its passcode.' },
  wrong_passcode: { status: 403, message: 'That is not the passcode of this room.' },
  invalid_passcode: { status: 400, message: 'A passcode is 4 to 64 characters.' },
  room_taken: { status: 409, message: 'This room already exists; only a new room can get a passcode.' },
  upgrade_required: { status: 426, message: 'This endpoint speaks WebSocket only.' },
  origin_forbidden: { status: 403, message: 'Pages from this origin may not open the chat; set ALLOWED_ORIGINS on the server to allow it.' },
  monitor_forbidden: { status: 403, message: 'The monitor is open to this machine only, or with MONITOR_TOKEN as a Bearer token.' },
  too_many_connections: { status: 429, message: 'Too many connections from this address.' },
  internal: { status: 500, message: 'Something went wrong on our side.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** WebSocket close codes the server uses. `retry` says whether a client should reconnect. */
export const CLOSE = {
  normal: { code: 1000, retry: false, reason: 'bye' },
  frameTooLarge: { code: 1009, retry: true, reason: 'frame too large' },
  serverRestart: { code: 1012, retry: true, reason: 'server restarting' },
  invalidRequest: { code: 4400, retry: false, reason: 'invalid connection request' },
  abuse: { code: 4429, retry: false, reason: 'too many invalid or rate-limited frames' },
  passcodeRequired: { code: 4403, retry: false, reason: 'this room needs its passcode' },
  // The runtime closes a socket whose send buffer passes the backpressure limit without a close
  // frame, so the client sees 1006: reconnect and resume from the last offset.
  slowConsumer: { code: 1006, retry: true, reason: 'client too slow to receive' },
} as const;

const RETRY_CODES: ReadonlySet<number> = new Set(
  [1001, 1006, 1011, 1013, ...Object.values(CLOSE).filter((c) => c.retry).map((c) => c.code)],
);

/** Whether a client should reconnect after the server closed with `code`. Unknown codes retry. */
export function shouldReconnect(code: number): boolean {
  if (RETRY_CODES.has(code)) return true;
  return !Object.values(CLOSE).some((c) => c.code === code && !c.retry);
}
