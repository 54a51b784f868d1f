import { createGithubClient } from '../github/client.js';
import type { GithubClient } from '../github/client.js';
import { githubApiUrl, resolveGithubToken } from '../github/token.js';
import type { App } from './app.js';

// Commands import this lazily: octokit costs ~100 ms of start-up that other commands should not pay.
/** The GitHub client, authenticated from GITHUB_TOKEN / GH_TOKEN / `gh auth token` when available. */
export async function createGithub(app: App): Promise<{ client: GithubClient; authenticated: boolean }> {
  const token = await resolveGithubToken(app.env);
  const client = createGithubClient({
    token: token?.token,
    baseUrl: githubApiUrl(app.env),
    now: () => app.clock.now(),
  });
  return { client, authenticated: token !== undefined };
}
