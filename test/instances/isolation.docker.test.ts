import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedImages } from '../helpers/images.js';
import {
  dockerExec,
  inspect,
  instanceFixture,
  labelledObjects,
  parseInstance,
} from '../helpers/instances.js';
import type { InstanceFixture, LoadedJson } from '../helpers/instances.js';

// Two instances shared by every assertion below (each launch costs seconds on a 2-CPU host).
let fx: InstanceFixture;
let a: LoadedJson['instance'];
let b: LoadedJson['instance'];
let roDir: string;
let outside: string;
let loadStderr: string;

beforeAll(async () => {
  await sharedImages();
  fx = instanceFixture('jackin-iso-');
  roDir = join(fx.dir, 'readonly');
  outside = join(fx.dir, 'not-mounted');
  mkdirSync(roDir);
  mkdirSync(outside);
  writeFileSync(join(roDir, 'ro.txt'), 'ro\n');
  writeFileSync(join(outside, 'secret.txt'), 'no\n');
  const [ra, rb] = await Promise.all([
    fx.cliAsync([
      'load',
      fx.role,
      fx.workspaceDir,
      '--agent',
      'stub',
      '--mount',
      `${roDir}:/data/ro:ro`,
      '--memory',
      '768m',
      '--cpus',
      '1.5',
      '--pids',
      '512',
      '--detach',
      '--json',
    ]),
    fx.cliAsync(['load', fx.role, fx.workspaceDir, '--agent', 'stub', '--detach', '--json']),
  ]);
  a = parseInstance(ra);
  loadStderr = ra.stderr;
  b = parseInstance(rb);
});

afterAll(() => {
  fx?.cleanup();
});

describe('an instance, seen from inside', () => {
  it('the launch says which path each image took', () => {
    expect(loadStderr).toMatch(
      /^image\s+\S+ \(base (reused|built|bootstrapped offline \(debootstrap\)|pulled), construct \w+/m,
    );
    expect(loadStderr).toMatch(/dind \w+, derived \w+\)/);
  });

  it('reaches the npm registry over HTTPS through the host TLS-intercepting proxy (its CA is installed)', () => {
    // Only passes because jackin installed the host's extra CA certificates into the images.
    const npm = dockerExec(a.name, 'npm view is-number@7.0.0 version');
    expect(npm.code, npm.out).toBe(0);
    expect(npm.out.trim()).toBe('7.0.0');
    expect(dockerExec(a.name, 'echo $NODE_EXTRA_CA_CERTS').out.trim()).toBe(
      '/etc/ssl/certs/ca-certificates.crt',
    );
  });

  it('cannot write a :ro mount but writes the rw workspace as the host user', () => {
    expect(dockerExec(a.name, 'cat /data/ro/ro.txt').out.trim()).toBe('ro');
    const ro = dockerExec(a.name, 'touch /data/ro/new.txt');
    expect(ro.code).not.toBe(0);
    expect(ro.out).toMatch(/Read-only file system/);
    expect(dockerExec(a.name, `echo agent > ${fx.workspaceDir}/from-agent.txt`).code).toBe(0);
    const stat = statSync(join(fx.workspaceDir, 'from-agent.txt'));
    expect(stat.uid).toBe(process.getuid?.());
    expect(stat.gid).toBe(process.getgid?.());
  });

  it('sees no host path it was not given, and no host Docker socket', () => {
    expect(dockerExec(a.name, `ls ${outside}`).code).not.toBe(0);
    expect(dockerExec(a.name, `ls ${fx.dir}/home`).code).not.toBe(0);
    expect(dockerExec(a.name, 'test -e /var/run/docker.sock').code).not.toBe(0);
    expect(dockerExec(a.name, 'docker -H unix:///var/run/docker.sock info').code).not.toBe(0);
    expect(inspect(a.name, '{{range .Mounts}}{{.Source}} {{end}}')).not.toMatch(/docker\.sock/);
  });

  it('talks to its own sidecar over TLS: docker info answers from it, and nested containers stay inside', () => {
    const env = dockerExec(
      a.name,
      'echo $DOCKER_HOST $DOCKER_TLS_VERIFY $DOCKER_CERT_PATH $JACKIN_DIND_HOSTNAME $JACKIN_INSTANCE_ID',
    );
    expect(env.out.trim()).toBe(`tcp://${a.sidecar}:2376 1 /jackin/certs ${a.sidecar} ${a.id}`);
    expect(dockerExec(a.name, 'docker info --format "{{.Name}}"').out.trim()).toBe(a.sidecar);
    // An image made inside from a tiny tarball; the container created from it exists only in the sidecar.
    const nested = dockerExec(
      a.name,
      `tar -C /jackin/runtime/bin -c . | docker import - nested:1 >/dev/null && docker create --name nested-${a.id} nested:1 /x >/dev/null && docker ps -a --format "{{.Names}}"`,
    );
    expect(nested.out).toContain(`nested-${a.id}`);
    expect(execHostPs()).not.toContain(`nested-${a.id}`);
  });

  it('the sidecar refuses clients without the client certificate', () => {
    const noCert = dockerExec(
      a.name,
      `curl -sS --max-time 5 --cacert /jackin/certs/ca.pem https://${a.sidecar}:2376/_ping`,
    );
    expect(noCert.code).not.toBe(0);
    expect(noCert.out).not.toMatch(/^OK$/m);
    const plain = dockerExec(a.name, `DOCKER_TLS_VERIFY= docker -H tcp://${a.sidecar}:2376 info`);
    expect(plain.code).not.toBe(0);
    const withCert = dockerExec(
      a.name,
      `curl -sS --max-time 5 --cacert /jackin/certs/ca.pem --cert /jackin/certs/cert.pem --key /jackin/certs/key.pem https://${a.sidecar}:2376/_ping`,
    );
    expect(withCert.out.trim()).toBe('OK');
    // The certs are mounted read-only.
    expect(dockerExec(a.name, 'touch /jackin/certs/x').code).not.toBe(0);
  });

  it("two instances cannot reach each other's sidecar", () => {
    expect(dockerExec(a.name, `getent hosts ${b.sidecar}`).code).not.toBe(0);
    const ip = inspect(b.sidecar, `{{(index .NetworkSettings.Networks "${b.network}").IPAddress}}`);
    const probe = dockerExec(a.name, `curl -sk --max-time 3 https://${ip}:2376/_ping`);
    expect(probe.code).not.toBe(0);
    expect(dockerExec(b.name, 'docker info --format "{{.Name}}"').out.trim()).toBe(b.sidecar);
  });
});

describe('an instance, seen from outside', () => {
  it('applies the limits to the role container and the sidecar', () => {
    for (const name of [a.name, a.sidecar]) {
      expect(inspect(name, '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}')).toBe(
        `${768 * 1024 * 1024} 1500000000 512`,
      );
    }
    expect(inspect(a.name, '{{.Config.User}}')).toBe(`${process.getuid?.()}:${process.getgid?.()}`);
    expect(
      inspect(
        a.name,
        '{{index .Config.Labels "dev.jackin.kind"}} {{index .Config.Labels "dev.jackin.instance"}}',
      ),
    ).toBe(`role ${a.id}`);
    expect(inspect(a.name, '{{.HostConfig.Privileged}}')).toBe('false');
  });

  it('records the contract: explain --instance shows what the launch ran under', () => {
    const r = fx.cli(['explain', '--instance', a.id, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const contract = (JSON.parse(r.stdout) as { contract: Record<string, unknown> }).contract;
    expect(contract.agent).toBe('stub');
    expect((contract.limits as { memory: { value: string } }).memory.value).toBe('768m');
    expect(
      (contract.mounts as { container: string; access: string }[]).some(
        (m) => m.container === '/data/ro' && m.access === 'ro',
      ),
    ).toBe(true);
  });

  it('eject removes every labelled object', () => {
    for (const inst of [a, b]) {
      const r = fx.cli(['eject', inst.id]);
      expect(r.code, r.stderr).toBe(0);
      expect(labelledObjects(inst.id)).toEqual([]);
    }
  });
});

function execHostPs(): string {
  return execFileSync('docker', ['ps', '-a', '--format', '{{.Names}}'], { encoding: 'utf8' });
}
