import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jackin-images-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function jackin(args: string[], env: NodeJS.ProcessEnv) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const code = await main(['node', 'jackin', ...args], {
    stdout,
    stderr,
    stdinIsTTY: false,
    stdoutIsTTY: false,
    env: {
      HOME: dir,
      JACKIN_HOME: join(dir, 'home'),
      JACKIN_CONFIG_DIR: join(dir, 'config'),
      PATH: process.env.PATH,
      ...env,
    },
    cwd: dir,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('jackin images without a Docker engine', () => {
  it('fails with docker_unavailable (exit 5), one line and a hint', async () => {
    const result = await jackin(['images', 'list', '--json'], {
      DOCKER_HOST: `unix://${join(dir, 'no-docker.sock')}`,
    });
    expect(result.code).toBe(5);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'docker_unavailable' } });
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^jackin: cannot connect to the Docker engine at unix:\/\/.*no-docker\.sock/);
    expect(lines[1]).toMatch(/^hint: /);
  });

  it('rejects a bad --base as a usage error (exit 2) before touching Docker', async () => {
    const result = await jackin(['images', 'build', '--base', 'cloud'], {
      DOCKER_HOST: `unix://${join(dir, 'none.sock')}`,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/invalid --base 'cloud'/);
  });
});
