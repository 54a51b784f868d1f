import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { requireDocker } from '../helpers/docker.js';
import { runCli } from '../helpers/run-cli.js';
import { tempHome } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

interface DoctorJson {
  doctor: { ok: boolean; checks: { name: string; status: string; detail: string }[] };
}

describe('jackin doctor against the real engine', () => {
  let home: TempHome | undefined;
  afterEach(() => home?.cleanup());

  it('reports the engine the docker CLI sees, reached through the runtime port', () => {
    const serverVersion = requireDocker();
    const clientVersion = execFileSync('docker', ['version', '--format', '{{.Client.Version}}'], {
      encoding: 'utf8',
    }).trim();
    home = tempHome();
    const result = runCli(['doctor', '--json'], home.env);
    const checks = (JSON.parse(result.stdout) as DoctorJson).doctor.checks;
    const byName = new Map(checks.map((check) => [check.name, check]));
    expect(byName.get('docker')).toMatchObject({ status: 'ok' });
    expect(byName.get('docker')!.detail).toContain(`engine ${serverVersion} `);
    expect(byName.get('docker CLI')).toEqual({
      name: 'docker CLI',
      status: 'ok',
      detail: `client ${clientVersion}`,
    });
    expect(byName.get('clock')!.detail).toContain('Docker agrees');
    // Exit code follows the verdict, whatever this host's disk or DinD support is.
    const failed = checks.filter((check) => check.status === 'fail');
    expect(result.code, result.stderr).toBe(failed.length === 0 ? 0 : 1);
  });
});
