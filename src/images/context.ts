import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caFileName } from './ca-certs.js';
import type { Labels } from '../runtime/port.js';
import type { ExtraCaCert } from './ca-certs.js';
import { byCodeUnit } from '../kernel/order.js';

/** A temporary build context directory; `dispose` removes it. */
export interface BuildContext {
  readonly dir: string;
  dispose(): void;
}

export function createContext(prefix: string, parent: string = tmpdir()): BuildContext {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, `jackin-${prefix}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies a directory into the context (`.git` skipped). */
export function copyInto(context: BuildContext, source: string, target = '.'): void {
  cpSync(source, join(context.dir, target), {
    recursive: true,
    filter: (path) => !/(^|\/)\.git(\/|$)/.test(path.slice(source.length)),
  });
}

/** Writes the extra CA certificates into `<target>/` (always created, possibly empty). */
export function writeCaCerts(context: BuildContext, certs: readonly ExtraCaCert[], target: string): void {
  const dir = join(context.dir, target);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'README'),
    'Extra CA certificates detected on the jackin host (TLS-intercepting proxies).\n',
  );
  for (const cert of certs) writeFileSync(join(dir, caFileName(cert)), cert.pem);
}

/** Proxy settings passed as build args (predefined by Docker, so never stored in image history). */
export function proxyBuildArgs(env: NodeJS.ProcessEnv): Record<string, string> {
  const args: Record<string, string> = {};
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) {
    const value = env[name];
    if (value) args[name] = value;
  }
  return args;
}

/**
 * Appends one `LABEL` instruction to a Dockerfile in the context. The classic builder turns
 * build-API labels into one extra step each; a single instruction costs one step.
 */
export function appendLabels(context: BuildContext, dockerfile: string, labels: Labels): void {
  const pairs = Object.entries(labels)
    .sort(([a], [b]) => byCodeUnit(a, b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  if (pairs.length > 0)
    appendFileSync(join(context.dir, dockerfile), `\nLABEL ${pairs.join(' \\\n      ')}\n`);
}
