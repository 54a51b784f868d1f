import { execFile } from 'node:child_process';
import { isHttpUrl } from '../config/config-schema.js';
import { UsageError } from '../kernel/errors.js';

/** Where a token was found, named for messages (never the value). */
export type TokenSource = 'GITHUB_TOKEN' | 'GH_TOKEN' | 'gh auth token';

export interface ResolvedToken {
  readonly token: string;
  readonly source: TokenSource;
}

/** Asks the gh CLI for its token; undefined when gh is missing or logged out. */
function ghAuthToken(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('gh', ['auth', 'token'], { env, timeout: 10_000 }, (error, stdout) => {
      const token = stdout.trim();
      resolve(error || token.length === 0 ? undefined : token);
    });
  });
}

/** A GitHub token from GITHUB_TOKEN, GH_TOKEN, or `gh auth token`, in that order. */
export async function resolveGithubToken(
  env: NodeJS.ProcessEnv,
  askGh: (env: NodeJS.ProcessEnv) => Promise<string | undefined> = ghAuthToken,
): Promise<ResolvedToken | undefined> {
  for (const name of ['GITHUB_TOKEN', 'GH_TOKEN'] as const) {
    const value = env[name]?.trim();
    if (value) return { token: value, source: name };
  }
  const fromGh = await askGh(env);
  return fromGh === undefined ? undefined : { token: fromGh, source: 'gh auth token' };
}

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/**
 * The REST base URL: `JACKIN_GITHUB_API_URL`, else `[github] api_url` from config.toml (validated
 * by its schema), else api.github.com. A malformed environment value is a usage error.
 */
export function githubApiUrl(env: NodeJS.ProcessEnv, configured?: string): string {
  const fromEnv = env.JACKIN_GITHUB_API_URL?.trim();
  if (fromEnv) {
    if (!isHttpUrl(fromEnv))
      throw new UsageError('invalid JACKIN_GITHUB_API_URL: expected an http(s) URL', {
        hint: 'e.g. https://github.example.com/api/v3, or unset it to use [github] api_url / api.github.com',
      });
    return fromEnv;
  }
  return configured ?? DEFAULT_GITHUB_API_URL;
}
