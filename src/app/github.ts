import { ConfigStore } from '../config/config-store.js';
import { createGithubClient } from '../github/client.js';
import type { GithubClient } from '../github/client.js';
import { githubApiUrl, resolveGithubToken } from '../github/token.js';
import { fetchTrusting } from '../github/trust.js';
import type { App } from './app.js';

// Commands import this lazily: octokit costs ~100 ms of start-up that other commands should not pay.
/** The GitHub client, authenticated from GITHUB_TOKEN / GH_TOKEN / `gh auth token` when available. */
export async function createGithub(app: App): Promise<{ client: GithubClient; authenticated: boolean }> {
  const config = (await new ConfigStore(app.paths.configDir).loadConfig()).value;
  const baseUrl = githubApiUrl(app.env, config.github?.api_url);
  const token = await resolveGithubToken(app.env);
  // Started through the `jackin` launcher with NODE_EXTRA_CA_CERTS set: node did not load that file,
  // so GitHub's connections trust it themselves (ADR 0031).
  const deferredCa = app.env.JACKIN_DEFERRED_CA_CERTS;
  const client = createGithubClient({
    token: token?.token,
    baseUrl,
    now: () => app.clock.now(),
    ...(deferredCa ? { fetch: await fetchTrusting(deferredCa) } : {}),
  });
  return { client, authenticated: token !== undefined };
}
