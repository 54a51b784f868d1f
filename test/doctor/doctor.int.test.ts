import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempHome, testApp } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

interface DoctorJson {
  doctor: { ok: boolean; checks: { name: string; status: string; detail: string }[] };
}

// No engine on purpose: the int tier must not need Docker, and the docker row must say why it failed.
const NO_DOCKER = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

function check(output: DoctorJson, name: string) {
  const found = output.doctor.checks.find((c) => c.name === name);
  if (!found) throw new Error(`no ${name} check in ${JSON.stringify(output)}`);
  return found;
}

describe('jackin doctor (built CLI)', () => {
  let home: TempHome | undefined;
  afterEach(() => home?.cleanup());

  it('prints exactly one JSON document and exits 1 when Docker is unreachable', () => {
    home = tempHome();
    const result = runCli(['doctor', '--json'], { ...home.env, ...NO_DOCKER });
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout) as DoctorJson; // throws on a second document
    expect(output.doctor.ok).toBe(false);
    expect(check(output, 'docker')).toMatchObject({ status: 'fail' });
    expect(check(output, 'docker').detail).toBe(
      'cannot connect to the Docker engine at unix:///nonexistent/docker.sock (ENOENT)',
    );
    expect(check(output, 'state dir').status).toBe('ok');
    expect(check(output, 'event log').status).toBe('ok');
    expect(result.stderr).toContain('jackin: 1 doctor check failed: docker');
  });

  it('fails the event log check at the tampered position', async () => {
    home = tempHome();
    const app = testApp(home);
    const { store } = await app.eventLog();
    for (const id of ['a', 'b']) {
      await store.append(
        `instance-${id}`,
        [
          {
            type: 'InstanceLaunchRequested',
            data: { instanceId: id, name: id, role: 'agent-smith', workspace: 'w', runtime: 'claude' },
          },
        ],
        { expectedVersion: 'no_stream' },
      );
    }
    await app.close();
    const db = new BetterSqlite3(join(home.env.JACKIN_HOME!, 'jackin.db'));
    db.prepare(
      `UPDATE events SET data = replace(data, 'agent-smith', 'agent-jones') WHERE global_position = 2`,
    ).run();
    db.close();

    const result = runCli(['doctor', '--json'], { ...home.env, ...NO_DOCKER });
    expect(result.code).toBe(1);
    const log = check(JSON.parse(result.stdout) as DoctorJson, 'event log');
    expect(log.status).toBe('fail');
    expect(log.detail).toContain('position 2');
  });

  it('fails the state dir check when the state dir cannot be created', () => {
    home = tempHome();
    const blocker = join(home.dir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    mkdirSync(home.env.JACKIN_CONFIG_DIR!, { recursive: true });
    const result = runCli(['doctor', '--json'], {
      ...home.env,
      ...NO_DOCKER,
      JACKIN_HOME: join(blocker, 'home'),
    });
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout) as DoctorJson;
    expect(check(output, 'state dir')).toMatchObject({ status: 'fail' });
    expect(check(output, 'state dir').detail).toContain('is not a directory');
    expect(check(output, 'config dir').status).toBe('ok');
  });

  it('prints an aligned table without colour when stdout is not a TTY', () => {
    home = tempHome();
    const result = runCli(['doctor'], { ...home.env, ...NO_DOCKER, NO_COLOR: undefined });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CHECK\s+STATUS\s+DETAIL$/);
    expect(lines.map((line) => line.split(/\s{2,}/)[0])).toEqual([
      'CHECK',
      'docker',
      'docker CLI',
      'images',
      'DinD mode',
      'state dir',
      'config dir',
      'disk',
      'event log',
      'clock',
      'reconciler',
    ]);
    const statusColumn = lines[0]!.indexOf('STATUS');
    for (const line of lines.slice(1)) expect(line.slice(statusColumn)).toMatch(/^(ok|warn|fail)\s/);
    expect(result.stdout).not.toContain('\u001b[');
  });
});
