import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseToml } from '../../../src/config/toml.js';
import { BIN, runCli } from '../../helpers/run-cli.js';
import { tempHome } from '../../helpers/temp-home.js';
import type { TempHome } from '../../helpers/temp-home.js';

const built = fileURLToPath(new URL('../../../dist/src/cli/commands/config-env.js', import.meta.url));

function run(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

let home: TempHome;
beforeAll(() => {
  if (!existsSync(built)) throw new Error('run `npm run build` first: this test spawns the built CLI');
  home = tempHome('jackin-concurrent-');
});
afterAll(() => home.cleanup());

describe('concurrent writers of one config file', () => {
  it('10 processes setting different keys at once: all 10 edits present, one event each', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => run(['config', 'env', 'set', `KEY_${i}`, `value-${i}`], home.env)),
    );
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const file = join(home.env.JACKIN_CONFIG_DIR ?? '', 'config.toml');
    const env = parseToml(readFileSync(file, 'utf8'), file).env as Record<string, string>;
    expect(Object.keys(env).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `KEY_${i}`).sort());
    for (let i = 0; i < 10; i++) expect(env[`KEY_${i}`]).toBe(`value-${i}`);
    const history = runCli(['history', 'config', '--json'], home.env);
    expect(history.code, history.stderr).toBe(0);
    const events = (JSON.parse(history.stdout) as { events: { type: string; version: number }[] }).events;
    expect(events.filter((e) => e.type === 'ConfigChanged')).toHaveLength(10);
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('10 processes setting different env keys of one workspace: nothing lost', async () => {
    const ws = ['workspace', 'create', 'shared', '--workdir', home.dir, '--json'];
    expect(runCli(ws, home.env).code).toBe(0);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        run(['workspace', 'env', 'set', 'shared', `W_${i}`, `$HOST_${i}`], home.env),
      ),
    );
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const show = JSON.parse(runCli(['workspace', 'show', 'shared', '--json'], home.env).stdout) as {
      workspace: { env: Record<string, string> };
    };
    expect(Object.keys(show.workspace.env)).toHaveLength(10);
    expect(show.workspace.env.W_3).toBe('$HOST_3');
  });
});
