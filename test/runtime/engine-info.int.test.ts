import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDockerRuntime } from '../../src/runtime/docker/index.js';

// A stand-in engine on a Unix socket that counts GET /info: the runtime shares one answer among the
// callers of the last two seconds, and does not keep a failure.
let dir: string;
let server: Server;
let infoRequests = 0;
let failNext = false;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jackin-engine-info-'));
  infoRequests = 0;
  server = createServer((req, res) => {
    const path = (req.url ?? '').replace(/^\/v[\d.]+/, '');
    if (path === '/info') {
      infoRequests++;
      if (failNext) {
        failNext = false;
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"busy"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ID: 'E1', Name: 'stand-in', ServerVersion: '99.0' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ApiVersion":"1.41"}');
  });
  await new Promise<void>((resolve) => server.listen(join(dir, 'docker.sock'), resolve));
});
afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('engine.info()', () => {
  it('asks the engine once for the callers of the same moment', async () => {
    const runtime = createDockerRuntime({ DOCKER_HOST: `unix://${join(dir, 'docker.sock')}` });
    const answers = await Promise.all([runtime.engine.info(), runtime.engine.info(), runtime.engine.info()]);
    expect(answers.map((a) => a.serverVersion)).toEqual(['99.0', '99.0', '99.0']);
    expect(await runtime.engine.info()).toMatchObject({ id: 'E1', apiVersion: '1.41' });
    expect(infoRequests).toBe(1);
  });

  it('asks again after a failure', async () => {
    const runtime = createDockerRuntime({ DOCKER_HOST: `unix://${join(dir, 'docker.sock')}` });
    failNext = true;
    await expect(runtime.engine.info()).rejects.toThrow();
    expect((await runtime.engine.info()).serverVersion).toBe('99.0');
    expect(infoRequests).toBe(2);
  });
});
