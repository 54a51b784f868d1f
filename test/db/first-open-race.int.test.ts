import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

const homes: TempHome[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) home.cleanup();
});

const OPEN = new URL('../../dist/src/db/open.js', import.meta.url).href;
// Each process loads the code first, then spins until the shared start instant, so the opens
// really collide (the switch to WAL mode on a fresh file is where they used to fail).
const SCRIPT = `
  const { openDatabase } = await import(${JSON.stringify(OPEN)});
  const at = Number(process.argv[2]);
  while (Date.now() < at) {}
  try {
    const db = await openDatabase({ path: process.argv[1] });
    await db.close();
    process.stdout.write('ok');
  } catch (error) {
    process.stdout.write(String(error.code ?? '') + ': ' + error.message);
  }`;

function open(path: string, at: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT, path, String(at)]);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', () => resolve(out));
  });
}

describe('opening a fresh event log', () => {
  it('processes opening one new log at the same instant all open it (none sees "database is locked")', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 10; round++) {
      const home = tempHome('jackin-race-');
      homes.push(home);
      const at = Date.now() + 700;
      outcomes.push(
        ...(await Promise.all(Array.from({ length: 5 }, () => open(`${home.dir}/jackin.db`, at)))),
      );
    }
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
  }, 60_000);
});
