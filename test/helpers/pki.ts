import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM text of a test CA, a server certificate it signed, and a client certificate it signed. */
export interface TestPki {
  /** The CA certificate's file, for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
  readonly ca: string;
  readonly serverKey: string;
  readonly serverCert: string;
  readonly client: { readonly ca: string; readonly cert: string; readonly key: string };
}

/**
 * Makes a throwaway PKI with openssl (P-256 keys, valid two days) in `dir`, its files named
 * `<prefix>-…`: a CA, a server certificate for `subjectAltName` (`DNS:name` or `IP:127.0.0.1`) and a
 * client certificate.
 */
export function makeTestPki(dir: string, prefix: string, subjectAltName: string): TestPki {
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
    const ca = ['-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2'];
    ssl('x509', '-req', '-in', f(`${who}.csr`), ...ca, '-extfile', f(`${who}.ext`), '-out', f(`${who}.pem`));
  };
  sign('server', '/CN=server', `subjectAltName=${subjectAltName}\nextendedKeyUsage=serverAuth\n`);
  sign('client', '/CN=client', 'extendedKeyUsage=clientAuth\n');
  const read = (name: string): string => readFileSync(join(dir, f(name)), 'utf8');
  return {
    caFile: join(dir, f('ca.pem')),
    ca: read('ca.pem'),
    serverKey: read('server.key'),
    serverCert: read('server.pem'),
    client: { ca: read('ca.pem'), cert: read('client.pem'), key: read('client.key') },
  };
}
