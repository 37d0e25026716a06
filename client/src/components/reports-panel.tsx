// The moderators' queue of reported messages (read every few seconds): each with its room,
// reason and reporter, and one-click actions: remove the message, time out its author, dismiss.
import { For, Show } from 'solid-js';
import type { Chat } from '../state/create-chat.ts';

export function ReportsPanel(props: { chat: Chat }) {
  return (
    <section class="reports" aria-label="Reports">
      <h2 class="reports-title">Reports ({props.chat.reports().length})</h2>
      <Show when={props.chat.reports().length > 0} fallback={<p class="ignored-note">No open reports.</p>}>
        <ul class="reports-list">
          <For each={props.chat.reports()}>
            {(r) => (
              <li class="report" data-report-id={r.id}>
                <span class="ignored-note">#{r.room} · “{r.reason || 'no reason'}” from {r.by}</span>
                <Show when={r.message} fallback={<p class="text">(the message is no longer in the history)</p>}>
                  {(m) => (
                    <>
                      <p class="text"><strong>{m().username}:</strong> {m().redacted ? '(removed)' : m().text}</p>
                      <div class="actions">
                        <Show when={!m().redacted}>
                          <button type="button" class="link-button" onClick={() => void props.chat.remove(m())}>Remove message</button>
                        </Show>
                        <button type="button" class="link-button" onClick={() => void props.chat.timeOut(m())}>Time out {m().username}</button>
                        <button type="button" class="link-button" onClick={() => void props.chat.dismissReport(r.id)}>Dismiss</button>
                      </div>
                    </>
                  )}
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
