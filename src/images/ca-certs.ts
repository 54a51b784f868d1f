import { X509Certificate, createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { byCodeUnit } from '../kernel/order.js';

/** One extra CA certificate to install into images (never a private key). */
export interface ExtraCaCert {
  readonly source: string;
  /** SHA-256 fingerprint of the DER certificate, hex. */
  readonly fingerprint: string;
  readonly subject: string;
  readonly pem: string;
}

const LOCAL_CA_DIR = '/usr/local/share/ca-certificates';

/** System-wide bundles: pointing SSL_CERT_FILE at them says nothing about extra CAs. */
const SYSTEM_BUNDLES = new Set([
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/cert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
]);

function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function listCrtFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listCrtFiles(path));
    else if (entry.name.endsWith('.crt') || entry.name.endsWith('.pem')) out.push(path);
  }
  return out.sort();
}

export interface DetectCaOptions {
  readonly env: NodeJS.ProcessEnv;
  /** `extra_ca_certs = [...]` from config.toml, when the config layer provides it. */
  readonly configured?: readonly string[];
  /** Overrides the local CA directory (tests). */
  readonly localDir?: string;
}

/**
 * The host's extra CA certificates (TLS-intercepting proxies): /usr/local/share/ca-certificates,
 * SSL_CERT_FILE and NODE_EXTRA_CA_CERTS when they are not the system bundle, and configured paths.
 * Deduplicated by fingerprint and sorted, so the recipe hash is stable.
 */
export function detectExtraCaCerts(options: DetectCaOptions): ExtraCaCert[] {
  const files: string[] = [];
  const localDir = options.localDir ?? LOCAL_CA_DIR;
  if (existsSync(localDir) && statSync(localDir).isDirectory()) files.push(...listCrtFiles(localDir));
  for (const name of ['SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS'] as const) {
    const value = options.env[name]?.trim();
    if (value && !SYSTEM_BUNDLES.has(value) && existsSync(value)) files.push(value);
  }
  files.push(...(options.configured ?? []));
  const byFingerprint = new Map<string, ExtraCaCert>();
  for (const source of files) {
    let text: string;
    try {
      text = readFileSync(source, 'utf8');
    } catch {
      continue;
    }
    for (const pem of pemBlocks(text)) {
      try {
        const cert = new X509Certificate(pem);
        const fingerprint = createHash('sha256').update(cert.raw).digest('hex');
        if (!byFingerprint.has(fingerprint)) {
          byFingerprint.set(fingerprint, {
            source,
            fingerprint,
            subject: cert.subject.replace(/\n/g, ', '),
            pem: `${pem}\n`,
          });
        }
      } catch {
        // not a certificate; ignore
      }
    }
  }
  return [...byFingerprint.values()].sort((a, b) => byCodeUnit(a.fingerprint, b.fingerprint));
}

/** File name inside the image's ca-certificates dir (update-ca-certificates wants `.crt`). */
export function caFileName(cert: ExtraCaCert): string {
  return `jackin-${cert.fingerprint.slice(0, 16)}.crt`;
}
