import { execFileSync } from 'node:child_process';

let cached: string | undefined;

/**
 * The Docker engine's server version, or a thrown error explaining how to get one. Docker-tier tests
 * must fail, never skip, when no engine answers (CONVENTIONS.md: "Docker tiers run in CI, always").
 */
export function requireDocker(env: NodeJS.ProcessEnv = process.env): string {
  if (cached) return cached;
  try {
    const version = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {
      env,
      encoding: 'utf8',
      timeout: 20_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
    if (!version) throw new Error('the engine reported no server version');
    cached = version;
    return version;
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    const reason = typeof stderr === 'string' && stderr.trim() ? stderr.trim() : (error as Error).message;
    throw new Error(
      `The docker test tier needs a running Docker engine, and \`docker version\` failed: ${reason}\n` +
        'Start one (`.ci/run` installs docker.io and starts dockerd), or run only `npm run check` ' +
        '(unit + int tiers).',
    );
  }
}
