import { describe, expect, it } from 'vitest';
import { Readable, Writable } from 'node:stream';
import { terminalGate } from '../../src/console/terminal-gate.js';

// A stream that, like a TTY ReadStream, has a high-water mark of 0: every read() that empties the
// buffer asks the source for more (on a terminal, that restarts the handle reading it).
function terminal(): { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; sourceReads: () => number } {
  let reads = 0;
  const stdin = new Readable({
    highWaterMark: 0,
    encoding: 'utf8',
    read() {
      reads++;
    },
  });
  const stdout = new Writable({ write: (_chunk, _encoding, done) => done() });
  return {
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    sourceReads: () => reads,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('terminal gate', () => {
  it('a key reader that lends the terminal mid-loop does not ask the terminal for more', async () => {
    const { stdin, stdout, sourceReads } = terminal();
    const gate = terminalGate(stdin, stdout);
    const keys: string[] = [];
    let readsAtLend = -1;
    // Ink's reader: read until null; the Enter lends the terminal from inside the loop.
    gate.stdin.on('readable', () => {
      let chunk: string | null;
      while ((chunk = gate.stdin.read() as string | null) !== null) {
        keys.push(chunk);
        if (chunk === '\r') {
          gate.lend();
          readsAtLend = sourceReads();
        }
      }
    });
    stdin.push('\r');
    await tick();
    expect(keys).toEqual(['\r']);
    expect(readsAtLend).toBeGreaterThanOrEqual(0);
    expect(sourceReads()).toBe(readsAtLend);

    gate.reclaim();
    stdin.push('2');
    await tick();
    expect(keys).toEqual(['\r', '2']);
  });

  it('keys left unread when the terminal was lent reach the reader once it is back', async () => {
    const { stdin, stdout } = terminal();
    const gate = terminalGate(stdin, stdout);
    const keys: string[] = [];
    gate.stdin.on('readable', () => {
      let chunk: string | null;
      while ((chunk = gate.stdin.read() as string | null) !== null) keys.push(chunk);
    });
    gate.lend();
    stdin.push('j');
    await tick();
    expect(keys).toEqual([]);

    gate.reclaim();
    await tick();
    expect(keys).toEqual(['j']);
    stdin.push('k');
    await tick();
    expect(keys).toEqual(['j', 'k']);
  });
});
