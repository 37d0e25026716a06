// The real entry point (main.ts) as a child process on a fixed port, for drills that kill and
// restart servers. Each start logs to its own file under test-results/.
import { mkdirSync, rmSync } from 'node:fs';
import { waitFor } from './wait-for.ts';

const MAIN = new URL('../main.ts', import.meta.url).pathname;
const LOGS = new URL('../../../test-results/', import.meta.url).pathname;

export interface ServerProcess {
  url: string;
  /** Starts the process and waits until /health answers 200. */
  start(): Promise<void>;
  /** Sends a signal and waits for the process to end; resolves with its exit code. */
  kill(signal: 'SIGTERM' | 'SIGKILL'): Promise<number>;
  running(): boolean;
}

export function serverProcess(name: string, port: number, env: Record<string, string>): ServerProcess {
  const url = `http://127.0.0.1:${port}`;
  let proc: ReturnType<typeof Bun.spawn> | undefined;
  let starts = 0;
  mkdirSync(LOGS, { recursive: true });
  return {
    url,
    async start() {
      starts++;
      const logFile = `${LOGS}${name}-${starts}.log`;
      rmSync(logFile, { force: true }); // a file's old contents would otherwise show through
      // Its history database lives across restarts within a run (a restart resumes from it).
      const db = `${LOGS}${name}.sqlite`;
      if (starts === 1) for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
      proc = Bun.spawn(['bun', MAIN], {
        env: {
          ...process.env, PORT: String(port), HOST: '127.0.0.1', INSTANCE_ID: name, HISTORY_DB: db,
          NEW_ARRIVAL_WAIT_MS: '0', NEW_ARRIVAL_LINK_WAIT_MS: '0', FLOOD_REPEAT_LIMIT: '1000000', ...env,
        },
        stdout: Bun.file(logFile), stderr: 'inherit',
      });
      const started = proc;
      await waitFor(async () => {
        if (started.exitCode !== null) throw new Error(`${name} exited with ${started.exitCode} while starting`);
        return (await fetch(`${url}/health`).catch(() => undefined))?.status === 200;
      }, `${name} to be healthy`, 90_000);
    },
    async kill(signal) {
      const p = proc;
      if (!p) return -1;
      p.kill(signal);
      const code = await p.exited;
      proc = undefined;
      return code;
    },
    running: () => proc !== undefined && proc.exitCode === null,
  };
}
