// Prints the closing line "N passed, N failed, N skipped" from JUnit XML files written by the
// test runners, and exits 1 on any failure, on a runner that failed outside any test, or on
// no tests at all.
//   bun scripts/count-results.ts <name=exit code,...> <junit.xml>...
// e.g. bun scripts/count-results.ts typecheck=0,bun-test=1 test-results/server.xml
import { existsSync, readFileSync } from 'node:fs';

const [codesArg = '', ...files] = process.argv.slice(2);
const runners = codesArg.split(',').filter(Boolean).map((pair) => {
  const [name = '?', code = '1'] = pair.split('=');
  return { name, code: Number(code) };
});
let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];

for (const file of files) {
  if (!existsSync(file)) {
    failed++;
    failures.push(`${file}: no report written (the runner did not finish)`);
    continue;
  }
  const xml = readFileSync(file, 'utf8');
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = m[2] ?? '';
    if (/<(failure|error)\b/.test(body)) {
      failed++;
      failures.push(`${file}: ${/name="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '?'}`);
    } else if (/<skipped\b/.test(body)) skipped++;
    else passed++;
  }
}

// A runner that failed without a failing test case (a file that did not load, an error between
// tests) must still fail the run.
for (const r of runners) {
  if (r.code !== 0 && failed === 0) {
    failed++;
    failures.push(`${r.name} exited ${r.code} outside any test case (see its output above)`);
  }
}
if (failures.length > 0) console.log(`\nFailures:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
