import { Octokit, RequestError } from 'octokit';
import { JackinError, NotFoundError } from '../kernel/errors.js';
import { GithubRateLimitedError } from './errors.js';

/** An issue as `task import github` needs it (pull requests are filtered out). */
export interface GithubIssue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly url: string;
  readonly labels: readonly string[];
  readonly state: 'open' | 'closed';
}

/** A conditional GET: either unchanged since the ETag we sent (304, free of rate limit), or a fresh value. */
export type Conditional<T> =
  | { readonly notModified: true }
  | { readonly notModified: false; readonly etag: string | undefined; readonly value: T };

export interface IssueSnapshot {
  readonly state: 'open' | 'closed';
  readonly title: string;
}

export interface PullSnapshot {
  readonly state: 'open' | 'closed';
  readonly merged: boolean;
  readonly title: string;
  readonly headSha: string;
}

export type ChecksSummary = 'success' | 'failure' | 'pending' | undefined;

export interface ListIssuesOptions {
  readonly labels: readonly string[];
  readonly state: 'open' | 'closed' | 'all';
  readonly limit: number;
}

/** The slice of the GitHub REST API jackin uses. The only implementation wraps octokit. */
export interface GithubClient {
  /** Issues of a repository (not pull requests), newest first, up to `limit`. */
  listIssues(repo: string, options: ListIssuesOptions): Promise<GithubIssue[]>;
  /** One issue, conditionally on an ETag. */
  getIssue(repo: string, number: number, etag: string | undefined): Promise<Conditional<IssueSnapshot>>;
  /** One pull request, conditionally on an ETag. */
  getPull(repo: string, number: number, etag: string | undefined): Promise<Conditional<PullSnapshot>>;
  /** The check runs of a commit, summarised, conditionally on an ETag. */
  getChecks(repo: string, sha: string, etag: string | undefined): Promise<Conditional<ChecksSummary>>;
  /** Opens a pull request from `head` (a branch of the same repository) into `base`. */
  createPull(repo: string, pull: NewPull): Promise<{ number: number; url: string }>;
}

export interface NewPull {
  readonly head: string;
  readonly base: string;
  readonly title: string;
  readonly body: string;
  readonly draft: boolean;
}

export interface GithubClientOptions {
  readonly token: string | undefined;
  readonly baseUrl: string;
  /** The time now, to turn `retry-after` into a reset time. */
  readonly now: () => Date;
  /** The fetch octokit uses (default: Node's); `fetchTrusting` adds the launcher's deferred CAs. */
  readonly fetch?: typeof fetch;
}

function splitRepo(repo: string): { owner: string; repo: string } {
  const [owner, name] = repo.split('/');
  return { owner: owner!, repo: name! };
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** Maps octokit failures to jackin errors: 304 is not a failure, rate limits carry their reset. */
function translate(error: unknown, what: string, now: () => Date): JackinError {
  // No HTTP answer at all (octokit reports those as status 500 without a response): the network,
  // the URL or TLS trust failed before GitHub could say anything.
  if (!(error instanceof RequestError) || error.response === undefined) {
    const message = error instanceof Error ? error.message : String(error);
    return new JackinError('github_failed', `GitHub request for ${what} failed: ${message}`, {
      hint: /certificate/i.test(message)
        ? "the API's TLS certificate is not trusted: behind a TLS-intercepting proxy, set NODE_EXTRA_CA_CERTS to its CA file"
        : 'check the network and the API URL ([github] api_url in config.toml, or JACKIN_GITHUB_API_URL)',
      cause: error,
    });
  }
  const headers = (error.response?.headers ?? {}) as Record<string, unknown>;
  const remaining = header(headers, 'x-ratelimit-remaining');
  const retryAfter = header(headers, 'retry-after');
  if ((error.status === 403 || error.status === 429) && (remaining === '0' || retryAfter !== undefined)) {
    const reset = header(headers, 'x-ratelimit-reset');
    const resetAt =
      retryAfter !== undefined
        ? new Date(now().getTime() + Number(retryAfter) * 1000)
        : new Date(Number(reset ?? 0) * 1000);
    return new GithubRateLimitedError(
      Number.isNaN(resetAt.getTime()) ? new Date(now().getTime() + 60_000) : resetAt,
    );
  }
  if (error.status === 401) {
    return new JackinError('github_unauthorized', `GitHub rejected the token for ${what}`, {
      hint: 'set GITHUB_TOKEN (or GH_TOKEN) to a valid token, or run `gh auth login`',
      cause: error,
    });
  }
  if (error.status === 404) {
    return new NotFoundError(`GitHub has no ${what}, or the token cannot see it`, {
      hint: 'check OWNER/REPO, and that the token has access to the repository',
    });
  }
  return new JackinError(
    'github_failed',
    `GitHub request for ${what} failed: ${error.status} ${error.message}`,
    {
      cause: error,
    },
  );
}

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** The octokit adapter. Retries and throttling are off: the poller owns backoff, commands fail fast. */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  const octokit = new Octokit({
    ...(options.token === undefined ? {} : { auth: options.token }),
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    userAgent: 'jackin',
    log: silent,
    throttle: { enabled: false },
    retry: { enabled: false },
    ...(options.fetch === undefined ? {} : { request: { fetch: options.fetch } }),
  });

  async function conditional<T, R>(
    what: string,
    request: (headers: Record<string, string>) => Promise<{ data: R; headers: Record<string, unknown> }>,
    etag: string | undefined,
    map: (data: R) => T,
  ): Promise<Conditional<T>> {
    try {
      const response = await request(etag === undefined ? {} : { 'if-none-match': etag });
      return { notModified: false, etag: header(response.headers, 'etag'), value: map(response.data) };
    } catch (error) {
      if (error instanceof RequestError && error.status === 304) return { notModified: true };
      throw translate(error, what, options.now);
    }
  }

  return {
    async listIssues(repo, list) {
      const issues: GithubIssue[] = [];
      try {
        const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
          ...splitRepo(repo),
          state: list.state,
          per_page: Math.min(100, Math.max(list.limit, 1)),
          ...(list.labels.length ? { labels: list.labels.join(',') } : {}),
        });
        for await (const page of pages) {
          for (const item of page.data) {
            if (item.pull_request) continue;
            issues.push({
              number: item.number,
              title: item.title,
              body: item.body ?? '',
              url: item.html_url,
              labels: item.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean),
              state: item.state === 'closed' ? 'closed' : 'open',
            });
            if (issues.length >= list.limit) return issues;
          }
        }
      } catch (error) {
        throw translate(error, `repository ${repo}`, options.now);
      }
      return issues;
    },
    getIssue(repo, number, etag) {
      return conditional(
        `issue ${repo}#${number}`,
        (headers) => octokit.rest.issues.get({ ...splitRepo(repo), issue_number: number, headers }),
        etag,
        (data) => ({ state: data.state === 'closed' ? 'closed' : 'open', title: data.title }),
      );
    },
    getPull(repo, number, etag) {
      return conditional(
        `pull request ${repo}#${number}`,
        (headers) => octokit.rest.pulls.get({ ...splitRepo(repo), pull_number: number, headers }),
        etag,
        (data) => ({
          state: data.state === 'closed' ? 'closed' : 'open',
          merged: data.merged,
          title: data.title,
          headSha: data.head.sha,
        }),
      );
    },
    async createPull(repo, pull) {
      try {
        const { data } = await octokit.rest.pulls.create({ ...splitRepo(repo), ...pull });
        return { number: data.number, url: data.html_url };
      } catch (error) {
        throw translate(error, `repository ${repo}`, options.now);
      }
    },
    getChecks(repo, sha, etag) {
      return conditional(
        `checks of ${repo}@${sha.slice(0, 12)}`,
        (headers) => octokit.rest.checks.listForRef({ ...splitRepo(repo), ref: sha, per_page: 100, headers }),
        etag,
        (data) => summarizeChecks(data.check_runs),
      );
    },
  };
}

/** One word for a commit's check runs: any failure wins, then anything unfinished, then success. */
export function summarizeChecks(
  runs: readonly { status: string; conclusion: string | null }[],
): ChecksSummary {
  if (runs.length === 0) return undefined;
  const failed = new Set(['failure', 'cancelled', 'timed_out', 'action_required', 'startup_failure']);
  if (runs.some((r) => r.conclusion !== null && failed.has(r.conclusion))) return 'failure';
  if (runs.some((r) => r.status !== 'completed')) return 'pending';
  return 'success';
}
