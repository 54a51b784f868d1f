import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

function pki(prefix: string): { ca: string; serverKey: string; serverCert: string; client: ClientCerts } {
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const f = (name: string): string => `${prefix}-${name}`;
  ssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '2',
    '-subj',
    `/CN=${prefix} CA`,
  );
  const sign = (who: string, subject: string, ext: string): void => {
    writeFileSync(join(dir, f(`${who}.ext`)), ext);
    ssl('req', ...ec, '-keyout', f(`${who}.key`), '-out', f(`${who}.csr`), '-subj', subject);
    ssl(
      'x509',
      '-req',
      '-in',
      f(`${who}.csr`),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      f(`${who}.ext`),
      '-out',
      f(`${who}.pem`),
    );
  };
  sign('server', `/CN=${NAME}`, `subjectAltName=DNS:${NAME}\nextendedKeyUsage=serverAuth\n`);
  sign('client', '/CN=client', 'extendedKeyUsage=clientAuth\n');
  const read = (name: string): string => readFileSync(join(dir, f(name)), 'utf8');
  return {
    ca: read('ca.pem'),
    serverKey: read('server.key'),
    serverCert: read('server.pem'),
    client: { ca: read('ca.pem'), cert: read('client.pem'), key: read('client.key') },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jackin-tls-ping-'));
  const own = pki('own');
  client = own.client;
  stranger = pki('other').client;
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
