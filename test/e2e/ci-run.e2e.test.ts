import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const CI_RUN = fileURLToPath(new URL('../../.ci/run', import.meta.url));

describe('.ci/run without a Docker engine', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fails with a clear message when dockerd never answers, before running any test', () => {
    dir = mkdtempSync(join(tmpdir(), 'jackin-ci-'));
    const bin = join(dir, 'bin');
    const stub = (name: string, body: string): void => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    mkdirSync(bin);
    stub('docker', 'echo "Cannot connect to the Docker daemon" >&2; exit 1');
    stub('dockerd', 'echo "dockerd: failed to start: no cgroups" >&2; exit 1');
    stub('sudo', 'exec "$@"');
    stub('npm', `echo npm "$@" >> ${join(dir, 'npm-calls')}; exit 0`);
    const result = spawnSync('bash', [CI_RUN], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, CI_LOG_DIR: dir, DOCKER_WAIT_SECONDS: '2' },
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(
      'ci: Docker did not answer `docker info` within 2s; the docker tier cannot run',
    );
    expect(result.stderr).toContain('dockerd: failed to start: no cgroups'); // the daemon's log tail
    expect(existsSync(join(dir, 'npm-calls'))).toBe(false); // npm never ran
  });
});
