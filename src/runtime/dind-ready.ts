import { request } from 'node:https';
import type { RequestOptions } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { SecureContext } from 'node:tls';
import { JackinError } from '../kernel/errors.js';
import type { ContainerRuntime } from './port.js';

/** Where the DinD entrypoint writes the client certificates (docker:dind layout). */
export const SIDECAR_CLIENT_CERTS = '/certs/client';
export const SIDECAR_TLS_PORT = 2376;

export interface ClientCerts {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export interface SidecarReadyOptions {
  /** The sidecar's DNS name: its server certificate's SAN. */
  readonly name: string;
  /** The network whose address the host pings. */
  readonly network: string;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly now?: () => number;
}

export class SidecarNotReadyError extends JackinError {
  constructor(name: string, timeoutMs: number, last: string) {
    super(
      'launch_failed',
      `the DinD sidecar ${name} did not answer over TLS within ${timeoutMs} ms (${last})`,
      {
        hint: `see \`docker logs ${name}\`; a slow host may need JACKIN_SIDECAR_TIMEOUT_MS raised`,
      },
    );
    this.name = 'SidecarNotReadyError';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Node builds its bundled root store (~140 certificates parsed) the first time a process makes a
 * TLS context, even one that trusts only the sidecar's CA: ~15-20 ms on a 2-vCPU VM. A launch calls
 * this while the sidecar's container starts, so that the first ping does not pay it once dockerd
 * answers. Later contexts reuse the parsed store.
 */
export function warmTlsRootStore(): void {
  createSecureContext();
}

/** The client side of the sidecar's mutual TLS: its CA, and the client certificate and key it minted. */
export function sidecarTlsContext(certs: ClientCerts): SecureContext {
  return createSecureContext({ ca: certs.ca, cert: certs.cert, key: certs.key });
}

/** One mutual-TLS `GET /_ping`; resolves true on 200 `OK`. */
export function tlsPing(
  host: string,
  servername: string,
  tls: ClientCerts | SecureContext,
  timeoutMs = 2000,
): Promise<boolean> {
  // https.request hands its options to tls.connect, which takes a prepared context.
  const options: RequestOptions & { secureContext: SecureContext } = {
    host,
    port: SIDECAR_TLS_PORT,
    path: '/_ping',
    method: 'GET',
    servername,
    secureContext: 'context' in tls ? tls : sidecarTlsContext(tls),
    timeout: timeoutMs,
    agent: false,
  };
  return new Promise((resolve, reject) => {
    const req = request(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(res.statusCode === 200 && body.trim() === 'OK'));
    });
    req.on('timeout', () => req.destroy(new Error('ping timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Reads the client certificates the sidecar minted (absent until its entrypoint has run). */
export async function readClientCerts(
  runtime: ContainerRuntime,
  sidecarId: string,
): Promise<ClientCerts | undefined> {
  const files = ['ca.pem', 'cert.pem', 'key.pem'].map((f) => `${SIDECAR_CLIENT_CERTS}/${f}`);
  const result = await runtime.containers.exec(sidecarId, ['sh', '-c', `cat ${files.join(' ')}`]);
  if (result.exitCode !== 0) return undefined;
  const blocks = result.stdout.match(/-----BEGIN [^-]+-----[\s\S]+?-----END [^-]+-----\n?/g) ?? [];
  const [ca, cert, key] = blocks;
  if (!ca || !cert || !key) return undefined;
  return { ca, cert, key };
}

/**
 * Waits until the sidecar answers `GET /_ping` over mutual TLS on 2376 from the host, with the
 * client certificates it minted and its name as the TLS server name. Returns the wait in ms.
 */
export async function waitForSidecar(
  runtime: ContainerRuntime,
  sidecarId: string,
  options: SidecarReadyOptions,
): Promise<number> {
  const now = options.now ?? Date.now;
  const started = now();
  const interval = options.intervalMs ?? 25;
  let certs: ClientCerts | undefined;
  // One context for every attempt: making one parses the key and certificates again.
  let context: SecureContext | undefined;
  let address: string | undefined;
  let last = 'no answer yet';
  while (now() - started < options.timeoutMs) {
    try {
      const details = await runtime.containers.inspect(sidecarId);
      if (!details) throw new JackinError('launch_failed', `the DinD sidecar ${options.name} disappeared`);
      if (!details.running) {
        const logs = (await runtime.containers.logs(sidecarId)).trim().split('\n').slice(-3).join(' | ');
        throw new JackinError(
          'launch_failed',
          `the DinD sidecar ${options.name} exited (${details.exitCode ?? '?'}): ${logs}`,
          {
            hint: 'run `jackin doctor` to check the engine can run DinD sidecars',
          },
        );
      }
      address ??= details.ipAddresses[options.network];
      certs ??= await readClientCerts(runtime, sidecarId);
      if (certs) context ??= sidecarTlsContext(certs);
      if (address && context && (await tlsPing(address, options.name, context, 1000))) return now() - started;
      last = certs ? 'TLS ping not answered' : 'certificates not minted';
    } catch (error) {
      if (error instanceof JackinError) throw error;
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(interval);
  }
  throw new SidecarNotReadyError(options.name, options.timeoutMs, last);
}
