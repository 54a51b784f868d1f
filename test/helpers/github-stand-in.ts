import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInIssue {
  number: number;
  title: string;
  body?: string;
  state: 'open' | 'closed';
  labels?: string[];
  /** Makes it a pull request in the issues list (GitHub lists PRs there too). */
  pull?: { merged: boolean; headSha: string };
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly ifNoneMatch: string | undefined;
  readonly authorization: string | undefined;
  status: number;
}

/**
 * A local HTTP stand-in for the slice of the GitHub REST API jackin uses, in the shapes octokit
 * expects: issue lists with labels and Link pagination, issue/PR gets with ETag and 304,
 * check runs, and rate-limit 403s with `x-ratelimit-*` headers.
 */
export class GithubStandIn {
  readonly repos = new Map<string, StandInIssue[]>();
  readonly checkRuns = new Map<string, { status: string; conclusion: string | null }[]>();
  readonly requests: RecordedRequest[] = [];
  /** Pull requests opened through POST /repos/:owner/:repo/pulls, with the body they were sent. */
  readonly createdPulls: { repo: string; number: number; body: Record<string, unknown> }[] = [];
  /** While > 0, every request is answered with a rate-limit 403 (and decremented). */
  rateLimitedRequests = 0;
  rateLimitResetEpoch = 0;
  private server: Server | undefined;
  url = '';

  /** Serves over HTTP, or over HTTPS with `tls` (a key and certificate in PEM). */
  async start(tls?: { key: string; cert: string }): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.handle(req, res);
    this.server = tls ? createTlsServer(tls, handler) : createServer(handler);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const scheme = tls ? 'https' : 'http';
    this.url = `${scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  issue(repo: string, number: number): StandInIssue | undefined {
    return this.repos.get(repo)?.find((i) => i.number === number);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      ifNoneMatch: req.headers['if-none-match'],
      authorization: req.headers.authorization,
      status: 0,
    };
    this.requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        ...headers,
      });
      res.end(status === 304 ? undefined : JSON.stringify(body));
    };
    if (this.rateLimitedRequests > 0) {
      this.rateLimitedRequests -= 1;
      send(
        403,
        { message: 'API rate limit exceeded', documentation_url: 'https://docs.github.com/rest' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(this.rateLimitResetEpoch) },
      );
      return;
    }
    const conditional = (body: unknown): void => {
      const etag = `"${createHash('sha1').update(JSON.stringify(body)).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) send(304, undefined, { etag });
      else send(200, body, { etag });
    };
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'repos' || parts.length < 4) return send(404, { message: 'Not Found' });
    const repo = `${parts[1]}/${parts[2]}`;
    const issues = this.repos.get(repo);
    if (!issues) return send(404, { message: 'Not Found' });
    const html = `https://github.com/${repo}`;
    if (req.method === 'POST' && parts[3] === 'pulls' && parts.length === 4) {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as Record<string, unknown>;
        const number = Math.max(0, ...issues.map((i) => i.number)) + 1;
        issues.push({
          number,
          title: String(body.title),
          body: typeof body.body === 'string' ? body.body : '',
          state: 'open',
          pull: { merged: false, headSha: `head-of-${String(body.head)}` },
        });
        this.createdPulls.push({ repo, number, body });
        send(201, {
          number,
          title: body.title,
          state: 'open',
          draft: body.draft === true,
          html_url: `${html}/pull/${number}`,
          head: { ref: body.head, sha: `head-of-${String(body.head)}` },
          base: { ref: body.base },
        });
      });
      return;
    }
    if (parts[3] === 'issues' && parts.length === 4) return this.list(url, repo, issues, send);
    const number = Number(parts[4]);
    const found = issues.find((i) => i.number === number);
    if (parts[3] === 'issues' && found) return conditional(this.issueJson(repo, found));
    if (parts[3] === 'pulls' && found?.pull) {
      return conditional({
        number,
        title: found.title,
        state: found.state,
        merged: found.pull.merged,
        html_url: `${html}/pull/${number}`,
        head: { sha: found.pull.headSha, ref: `branch-${number}` },
      });
    }
    if (parts[3] === 'commits' && parts[5] === 'check-runs') {
      const runs = this.checkRuns.get(parts[4] ?? '') ?? [];
      return conditional({
        total_count: runs.length,
        check_runs: runs.map((r, id) => ({ id, name: `check ${id}`, ...r })),
      });
    }
    send(404, { message: 'Not Found' });
  }

  private issueJson(repo: string, issue: StandInIssue): Record<string, unknown> {
    const html = `https://github.com/${repo}`;
    return {
      number: issue.number,
      title: issue.title,
      body: issue.body ?? null,
      state: issue.state,
      html_url: `${html}/${issue.pull ? 'pull' : 'issues'}/${issue.number}`,
      labels: (issue.labels ?? []).map((name, id) => ({ id, name })),
      ...(issue.pull ? { pull_request: { url: `${this.url}/repos/${repo}/pulls/${issue.number}` } } : {}),
    };
  }

  private list(
    url: URL,
    repo: string,
    issues: StandInIssue[],
    send: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): void {
    const state = url.searchParams.get('state') ?? 'open';
    const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
    const perPage = Number(url.searchParams.get('per_page') ?? '30');
    const page = Number(url.searchParams.get('page') ?? '1');
    const matching = issues
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => labels.every((l) => i.labels?.includes(l)))
      .sort((a, b) => b.number - a.number);
    const slice = matching.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < matching.length) {
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    send(
      200,
      slice.map((i) => this.issueJson(repo, i)),
      headers,
    );
  }
}
