import { describe, expect, it } from 'vitest';
import { instanceNames } from '../../src/engine/instances/naming.js';
import {
  certsVolumeRequest,
  networkRequest,
  roleSpec,
  sidecarSpec,
} from '../../src/engine/instances/specs.js';
import { LABEL, homeScope } from '../../src/runtime/labels.js';
import { proxyEnvironment } from '../../src/runtime/proxy.js';

const names = instanceNames('abc123', 'agent-smith', 'demo');
const who = { instanceId: 'abc123', role: 'agent-smith', workspace: 'demo', home: 'log0123456789abc' };
/** A role container with nothing optional set. */
const plainRole = {
  names,
  who,
  image: 'img',
  agent: 'stub',
  workdir: '/w',
  uid: 1,
  gid: 1,
  mounts: [],
  secretsFile: undefined,
  limits: {},
};

describe('container specs', () => {
  it('pass the host proxy through to both containers, with the sidecar exempt', () => {
    const proxy = proxyEnvironment({ HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: 'localhost' }, [
      names.sidecar,
    ]);
    const role = roleSpec({ ...plainRole, uid: 1000, gid: 1000, proxy });
    expect(role.env).toMatchObject({
      HTTPS_PROXY: 'http://proxy.corp:3128',
      https_proxy: 'http://proxy.corp:3128',
      NO_PROXY: `localhost,${names.sidecar}`,
      DOCKER_HOST: `tcp://${names.sidecar}:2376`,
      DOCKER_TLS_VERIFY: '1',
    });
    const sidecar = sidecarSpec(names, who, 'dind', { privileged: true }, {}, proxy);
    expect(sidecar.env).toMatchObject({ HTTPS_PROXY: 'http://proxy.corp:3128', DIND_NAME: names.sidecar });
  });

  it('sets no proxy variables when the host has none', () => {
    const role = roleSpec({ ...plainRole, proxy: proxyEnvironment({}, [names.sidecar]) });
    expect(Object.keys(role.env ?? {}).filter((k) => /proxy/i.test(k))).toEqual([]);
    expect(JSON.stringify(role)).not.toMatch(/docker\.sock/);
  });

  it('stamp every network, volume and container with the owning home (ADR 0023)', () => {
    const role = roleSpec(plainRole);
    const prewarm = { prewarmId: 'pw1', home: who.home };
    const objects = [
      role.labels,
      sidecarSpec(names, who, 'dind', { privileged: true }, {}).labels,
      networkRequest(names, who).labels,
      certsVolumeRequest(names, who).labels,
      sidecarSpec(names, prewarm, 'dind', { privileged: true }, {}).labels,
      networkRequest(names, prewarm).labels,
      certsVolumeRequest(names, prewarm).labels,
    ];
    for (const labels of objects) {
      expect(labels?.[LABEL.home]).toBe(who.home);
      expect(homeScope(labels ?? {}, who.home)).toBe('own');
      expect(homeScope(labels ?? {}, 'another-home')).toBe('foreign');
    }
    expect(homeScope({ [LABEL.managed]: 'true', [LABEL.instance]: 'x' }, who.home)).toBe('unlabelled');
  });
});
