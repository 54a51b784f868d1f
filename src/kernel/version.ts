import { readFileSync } from 'node:fs';

/** The package version, read once from package.json next to the build. */
export function readJackinVersion(): string {
  for (const candidate of ['../../../package.json', '../../package.json']) {
    try {
      const url = new URL(candidate, import.meta.url);
      const parsed = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === 'jackin' && parsed.version) return parsed.version;
    } catch {
      // try the next layout (src/ under vitest, dist/src/ when built)
    }
  }
  return '0.0.0-dev';
}
