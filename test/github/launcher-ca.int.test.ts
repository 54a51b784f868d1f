import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetFixture, githubImportArgs } from '../helpers/fleet.js';
import { GithubStandIn } from '../helpers/github-stand-in.js';
import { makeTestPki } from '../helpers/pki.js';
import { BIN } from '../helpers/run-cli.js';
import { tempHome } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

// ADR 0031: the `jackin` launcher (bin/jackin) starts node without NODE_EXTRA_CA_CERTS, puts it back
// for child processes, and GitHub calls trust the file themselves. Checked against an HTTPS GitHub
// stand-in whose certificate only a test CA (made here with openssl) vouches for.

const LAUNCHER = fileURLToPath(new URL('../../bin/jackin', import.meta.url));

let home: TempHome;
let github: GithubStandIn;
let caFile: string;
let repo: string;

function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

beforeAll(async () => {
  home = tempHome('jackin-launcher-ca-');
  const pki = makeTestPki(home.dir, 'launcher', 'IP:127.0.0.1');
  caFile = pki.caFile;
  github = new GithubStandIn();
  await github.start({ key: pki.serverKey, cert: pki.serverCert });
  github.repos.set('octo/app', [{ number: 1, title: 'Issue 1', state: 'open', labels: ['agent'] }]);
  repo = fleetFixture(home).repo;
  home.env.JACKIN_GITHUB_API_URL = github.url;
  home.env.GITHUB_TOKEN = 'stand-in-token';
  delete home.env.JACKIN_DEFERRED_CA_CERTS;
});
afterAll(async () => {
  await github.stop();
  home.cleanup();
});

const importArgs = (): string[] => githubImportArgs(repo, '--label', 'agent');

describe('the jackin launcher and NODE_EXTRA_CA_CERTS (ADR 0031)', () => {
  it('GitHub calls trust the deferred CA file when started through the launcher', async () => {
    const result = await run(LAUNCHER, importArgs(), { ...home.env, NODE_EXTRA_CA_CERTS: caFile });
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { tasks: { id: string }[] }).tasks.map((t) => t.id)).toEqual([
      'gh-octo-app-1',
    ]);
  });

  it('and when node is started directly (node loads the file itself)', async () => {
    const result = await run(process.execPath, [BIN, ...importArgs()], {
      ...home.env,
      NODE_EXTRA_CA_CERTS: caFile,
    });
    expect(result.code, result.stderr).toBe(0);
  });

  it('without the CA the call fails with a one-line error and a hint, not a stack', async () => {
    const env = { ...home.env };
    delete env.NODE_EXTRA_CA_CERTS;
    const result = await run(LAUNCHER, importArgs(), env);
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^jackin: GitHub request .* failed: .*certificate/i);
    expect(result.stderr).toMatch(/hint: .*NODE_EXTRA_CA_CERTS/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('node starts without the variable, and the processes jackin starts get it back', async () => {
    const hook = join(home.dir, 'env-hook.cjs');
    writeFileSync(
      hook,
      [
        "process.stderr.write('start=' + (process.env.NODE_EXTRA_CA_CERTS ?? '<unset>') + '\\n');",
        "process.on('exit', () => process.stderr.write('exit=' + (process.env.NODE_EXTRA_CA_CERTS ?? '<unset>') + '\\n'));",
      ].join('\n'),
    );
    const result = await run(LAUNCHER, ['--version'], {
      ...home.env,
      NODE_EXTRA_CA_CERTS: caFile,
      NODE_OPTIONS: `--require ${hook}`,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('start=<unset>\n');
    expect(result.stderr).toContain(`exit=${caFile}\n`);
  });

  it('follows the links npm makes to it and passes arguments through unchanged', async () => {
    // A stand-in `node` first on PATH shows what the launcher executes, and with which environment.
    const fakeBin = join(home.dir, 'fake-node');
    mkdirSync(fakeBin);
    writeFileSync(
      join(fakeBin, 'node'),
      '#!/bin/sh\nprintf "%s\\n" "NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS-<unset>}" "DEFERRED=${JACKIN_DEFERRED_CA_CERTS-<unset>}" "$@"\n',
    );
    chmodSync(join(fakeBin, 'node'), 0o755);
    const links = join(home.dir, 'links');
    mkdirSync(join(links, 'bin'), { recursive: true });
    symlinkSync(LAUNCHER, join(links, 'absolute'));
    symlinkSync('../absolute', join(links, 'bin', 'jackin'));
    const env: NodeJS.ProcessEnv = { ...home.env, PATH: `${fakeBin}:${home.env.PATH ?? ''}` };

    const withCa = await run(join(links, 'bin', 'jackin'), ['load', 'a role', "it's"], {
      ...env,
      NODE_EXTRA_CA_CERTS: caFile,
    });
    expect(withCa.code, withCa.stderr).toBe(0);
    expect(withCa.stdout.split('\n')).toEqual([
      'NODE_EXTRA_CA_CERTS=<unset>',
      `DEFERRED=${caFile}`,
      BIN,
      'load',
      'a role',
      "it's",
      '',
    ]);

    const without = { ...env };
    delete without.NODE_EXTRA_CA_CERTS;
    const plain = await run(LAUNCHER, ['status'], without);
    expect(plain.stdout.split('\n').slice(0, 2)).toEqual(['NODE_EXTRA_CA_CERTS=<unset>', 'DEFERRED=<unset>']);
  });
});
