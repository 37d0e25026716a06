// POST /chat/send from tests. An object body is sent as JSON; a string is sent as it is, so
// tests can send malformed bodies too.
export function postChat(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/chat/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
