// The topic's partitions with offsets, and the consumer groups reading it with their lag.
import { For } from 'solid-js';

export function PartitionTable(props: { partitions: Array<{ partition: number; low: number; high: number }> }) {
  return (
    <table class="data">
      <caption>Partitions</caption>
      <thead><tr><th scope="col">Partition</th><th scope="col">Low</th><th scope="col">High</th><th scope="col">Messages</th></tr></thead>
      <tbody>
        <For each={props.partitions}>
          {(p) => <tr><td>{p.partition}</td><td>{p.low}</td><td>{p.high}</td><td>{p.high - p.low}</td></tr>}
        </For>
      </tbody>
    </table>
  );
}

export function GroupTable(props: { groups: Array<{ groupId: string; state: string; members: number; lag: number }> }) {
  return (
    <table class="data">
      <caption>Consumer groups (one per server instance)</caption>
      <thead><tr><th scope="col">Group</th><th scope="col">State</th><th scope="col">Members</th><th scope="col">Lag</th></tr></thead>
      <tbody>
        <For each={props.groups} fallback={<tr><td colspan="4">No consumer groups yet.</td></tr>}>
          {(g) => (
            <tr data-lag={g.lag > 0 ? 'behind' : 'current'}>
              <td class="mono">{g.groupId}</td><td>{g.state}</td><td>{g.members}</td><td>{g.lag}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}
