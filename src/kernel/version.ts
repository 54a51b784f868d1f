import { installVersion } from './install-root.js';

/** The package version, read once from jackin's package.json. */
export function readJackinVersion(): string {
  try {
    return installVersion();
  } catch {
    return '0.0.0-dev';
  }
}
