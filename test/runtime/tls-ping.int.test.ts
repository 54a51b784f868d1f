import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki } from '../helpers/pki.js';
import {
  SIDECAR_TLS_PORT,
  sidecarTlsContext,
  tlsPing,
  warmTlsRootStore,
} from '../../src/runtime/dind-ready.js';
import type { ClientCerts } from '../../src/runtime/dind-ready.js';

// The readiness ping's mutual TLS against a local server laid out like the sidecar's (a CA, a
// server certificate for the sidecar's name, a client certificate), on a loopback address of its
// own at the sidecar's port. Certificates are made here with openssl.

const HOST = '127.0.0.77';
const NAME = 'jk-test-role-dind';
let dir: string;
let server: Server;
let client: ClientCerts;
let stranger: ClientCerts;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jackin-tls-ping-'));
  const own = makeTestPki(dir, 'own', `DNS:${NAME}`);
  client = own.client;
  stranger = makeTestPki(dir, 'other', `DNS:${NAME}`).client;
  server = createServer(
    { key: own.serverKey, cert: own.serverCert, ca: own.ca, requestCert: true, rejectUnauthorized: true },
    (_req, res) => res.end('OK'),
  );
  await new Promise<void>((resolve) => server.listen(SIDECAR_TLS_PORT, HOST, resolve));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('tlsPing (mutual TLS to the sidecar)', () => {
  it('answers with the sidecar CA and client certificate, from certificates or one reused context', async () => {
    warmTlsRootStore();
    expect(await tlsPing(HOST, NAME, client)).toBe(true);
    const context = sidecarTlsContext(client);
    expect(await tlsPing(HOST, NAME, context)).toBe(true);
    expect(await tlsPing(HOST, NAME, context)).toBe(true);
  });

  it('refuses a server its CA did not sign, and a name the certificate does not carry', async () => {
    await expect(tlsPing(HOST, NAME, sidecarTlsContext({ ...client, ca: stranger.ca }))).rejects.toThrow(
      /certificate/i,
    );
    await expect(tlsPing(HOST, 'jk-other-dind', client)).rejects.toThrow(/altnames|Hostname/i);
  });

  it('is refused by the server without a client certificate it signed', async () => {
    await expect(tlsPing(HOST, NAME, { ...stranger, ca: client.ca })).rejects.toThrow();
  });
});
