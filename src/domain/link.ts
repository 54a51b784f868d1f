/** A GitHub issue or pull request, identified the way the link stream names it. */
export interface LinkRef {
  readonly url: string;
  readonly repo: string;
  readonly number: number;
  readonly kind: 'issue' | 'pull';
}

const LINK_URL = /^https?:\/\/[^/\s]+\/([^/\s]+)\/([^/\s]+)\/(pull|pulls|issues)\/(\d+)(?:[/?#].*)?$/;

/** Parses `https://<host>/<owner>/<repo>/pull/<n>` or `…/issues/<n>` (any host: GitHub Enterprise too). */
export function parseLinkUrl(url: string): LinkRef | undefined {
  const match = LINK_URL.exec(url.trim());
  if (!match) return undefined;
  const [, owner, repo, kind, number] = match;
  return {
    url: url.trim().replace(/[?#].*$/, ''),
    repo: `${owner!}/${repo!}`,
    number: Number(number),
    kind: kind === 'issues' ? 'issue' : 'pull',
  };
}

/** `link-<owner>/<repo>#<n>`: one stream per issue or pull request (they share GitHub's numbering). */
export function linkStream(ref: Pick<LinkRef, 'repo' | 'number'>): string {
  return `link-${ref.repo.toLowerCase()}#${ref.number}`;
}
