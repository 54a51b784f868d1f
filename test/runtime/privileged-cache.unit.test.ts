import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedPrivilegedSupport } from '../../src/runtime/privileged.js';
import type { ContainerRuntime, EngineInfo } from '../../src/runtime/port.js';

// Only the engine's identity is read: the rest of the port is never touched by a cache lookup.
function engine(id: string): ContainerRuntime {
  const info: EngineInfo = {
    id,
    name: 'host',
    serverVersion: '20.10.24',
    apiVersion: '1.41',
    os: 'Debian',
    architecture: 'x86_64',
    kernelVersion: '6.1',
    cgroupVersion: '1',
    cgroupDriver: 'cgroupfs',
    endpoint: 'unix:///var/run/docker.sock',
  };
  return { engine: { info: () => Promise.resolve(info) } } as unknown as ContainerRuntime;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('cachedPrivilegedSupport', () => {
  it("answers from this engine's cache entry only, and never probes", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jackin-priv-'));
    dirs.push(dir);
    expect(await cachedPrivilegedSupport(engine('A'), dir)).toBeUndefined();
    const support = { mode: 'equivalent', missing: ['CAP_SYS_RESOURCE'] };
    writeFileSync(join(dir, 'privileged-support.json'), JSON.stringify({ key: 'A|20.10.24|6.1', support }));
    expect(await cachedPrivilegedSupport(engine('A'), dir)).toEqual(support);
    expect(await cachedPrivilegedSupport(engine('B'), dir)).toBeUndefined();
    writeFileSync(join(dir, 'privileged-support.json'), 'not json');
    expect(await cachedPrivilegedSupport(engine('A'), dir)).toBeUndefined();
  });
});
