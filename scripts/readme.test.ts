// The README is the newcomer's reference: its configuration table must list every variable the
// server reads (an edit once dropped the whole table without any test noticing).
import { describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { configVariables } from '../server/src/config.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every environment variable the server reads in its configuration table', () => {
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('### The topic'));
    expect(table.length).toBeGreaterThan(100);
    const missing = configVariables().filter((name) => !table.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('keeps the sections a newcomer needs', () => {
    for (const heading of ['## The two commands', '## Architecture', '## Configuration', '## API', '## Troubleshooting']) {
      expect(readme).toContain(heading);
    }
  });
});
