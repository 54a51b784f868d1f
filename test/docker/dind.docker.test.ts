import { execFileSync, spawnSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LABEL, managedLabels } from '../../src/runtime/labels.js';
import { detectPrivilegedSupport, sidecarSecurity } from '../../src/runtime/privileged.js';
import type { PrivilegedSupport } from '../../src/runtime/privileged.js';
import type { ContainerRuntime } from '../../src/runtime/port.js';
import { runToCompletion } from '../../src/runtime/run.js';
import { imageHarness, removeByLabel, sharedImages, testRunLabel } from '../helpers/images.js';
import type { SharedImages } from '../helpers/images.js';

const run = testRunLabel();
let images: SharedImages;
let runtime: ContainerRuntime;
let support: PrivilegedSupport;

beforeAll(async () => {
  images = await sharedImages();
  runtime = imageHarness().runtime;
  support = await detectPrivilegedSupport(runtime, { probeImage: images.base.tag });
});

afterEach(() => {
  removeByLabel(`${run.key}=${run.value}`);
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}

describe('privileged-mode detection', () => {
  it('agrees with what `docker run --privileged` does on this engine', () => {
    const plain = spawnSync(
      'docker',
      ['run', '--rm', '--label', `${run.key}=${run.value}`, '--privileged', images.base.tag, 'true'],
      {
        encoding: 'utf8',
      },
    );
    if (support.mode === 'privileged') {
      expect(plain.status).toBe(0);
    } else {
      expect(plain.status).not.toBe(0);
      expect(plain.stderr).toMatch(/apply caps|operation not permitted/);
      expect(support.missingCapabilities.length).toBeGreaterThan(0);
      expect(sidecarSecurity(support)).toMatchObject({
        capAdd: ['ALL'],
        capDrop: support.missingCapabilities,
      });
    }
  });
});

describe('the DinD sidecar image', () => {
  it('serves docker over mutual TLS on 2376 to a client holding the client certs, and refuses one without them', async () => {
    const name = `jk-test-dind-${run.value.slice(0, 8)}`;
    const labels = managedLabels('dind', { [run.key]: run.value });
    const network = `${name}-net`;
    await runtime.networks.create({
      name: network,
      labels: managedLabels('network', { [run.key]: run.value }),
    });
    const certs = `${name}-certs`;
    await runtime.volumes.create({ name: certs, labels: managedLabels('certs', { [run.key]: run.value }) });
    const sidecar = await runtime.containers.create({
      image: images.dind.tag,
      name,
      hostname: name,
      env: { DIND_NAME: name },
      labels,
      network,
      mounts: [{ type: 'volume', source: certs, target: '/certs/client' }],
      security: sidecarSecurity(support),
    });
    await runtime.containers.start(sidecar);
    await waitFor(async () => {
      const info = await runtime.containers.exec(sidecar, [
        'docker',
        'info',
        '--format',
        '{{.ServerVersion}}',
      ]);
      return info.exitCode === 0;
    }, 30_000);

    const client = (cmd: string[], withCerts: boolean) =>
      runToCompletion(runtime, {
        image: images.construct.tag,
        cmd,
        network,
        labels: managedLabels('role', { [run.key]: run.value }),
        ...(withCerts
          ? {
              env: { DOCKER_HOST: `tcp://${name}:2376`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
              mounts: [{ type: 'volume' as const, source: certs, target: '/certs', readOnly: true }],
            }
          : {}),
      });

    const ok = await client(
      ['docker', 'info', '--format', 'server={{.ServerVersion}} containers={{.Containers}}'],
      true,
    );
    expect(ok.output).toMatch(/server=\d+\.\d+/);
    expect(ok.exitCode).toBe(0);

    // The server certificate names the sidecar (curl checks the SAN against the host name).
    const curl = await client(
      [
        'curl',
        '-sS',
        '--cacert',
        '/certs/ca.pem',
        '--cert',
        '/certs/cert.pem',
        '--key',
        '/certs/key.pem',
        `https://${name}:2376/_ping`,
      ],
      true,
    );
    expect(curl.output.trim()).toBe('OK');

    const noCerts = await client(['docker', '-H', `tcp://${name}:2376`, 'info'], false);
    expect(noCerts.exitCode).not.toBe(0);
    const caOnly = await client(
      ['curl', '-sS', '--cacert', '/certs/ca.pem', `https://${name}:2376/_ping`],
      true,
    );
    expect(caOnly.exitCode).not.toBe(0);
    expect(caOnly.output).not.toMatch(/^OK$/m);

    // Nested containers work in this mode (cgroup v1 hierarchies were remounted writable).
    const image = execFileSync('docker', ['save', images.base.tag], { maxBuffer: 512 * 1024 * 1024 });
    execFileSync('docker', ['exec', '-i', sidecar, 'docker', 'load'], { input: image });
    const nested = await runtime.containers.exec(sidecar, [
      'docker',
      'run',
      '--rm',
      images.base.tag,
      'echo',
      'nested-ok',
    ]);
    expect(nested.stdout.trim()).toBe('nested-ok');

    const inspected = await runtime.containers.inspect(sidecar);
    expect(inspected?.labels[LABEL.kind]).toBe('dind');
  });
});
