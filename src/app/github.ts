import { ConfigStore } from '../config/config-store.js';
import { createGithubClient } from '../github/client.js';
import type { GithubClient } from '../github/client.js';
import { githubApiUrl, resolveGithubToken } from '../github/token.js';
import type { App } from './app.js';

// Commands import this lazily: octokit costs ~100 ms of start-up that other commands should not pay.
/** The GitHub client, authenticated from GITHUB_TOKEN / GH_TOKEN / `gh auth token` when available. */
export async function createGithub(app: App): Promise<{ client: GithubClient; authenticated: boolean }> {
  const config = (await new ConfigStore(app.paths.configDir).loadConfig()).value;
  const baseUrl = githubApiUrl(app.env, config.github?.api_url);
  const token = await resolveGithubToken(app.env);
  const client = createGithubClient({
    token: token?.token,
    baseUrl,
    now: () => app.clock.now(),
  });
  return { client, authenticated: token !== undefined };
}
