import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

/**
 * A fetch whose TLS connections trust `caFile` on top of Node's root store: the certificates the
 * `jackin` launcher kept out of node's start-up (NODE_EXTRA_CA_CERTS, ADR 0031). undici is the
 * library behind Node's own fetch; it is loaded only for GitHub calls made this way. An unreadable
 * file adds nothing, as Node itself ignores one (the call then fails on the untrusted certificate).
 */
export async function fetchTrusting(caFile: string): Promise<typeof fetch> {
  const { Agent, fetch: undiciFetch } = await import('undici');
  let extra: string[] = [];
  try {
    extra = [readFileSync(caFile, 'utf8')];
  } catch {
    // ignored, as node ignores an unreadable NODE_EXTRA_CA_CERTS
  }
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, ...extra] } });
  return ((input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher })) as unknown as typeof fetch;
}
