import { JackinError } from '../kernel/errors.js';

/**
 * Git URLs jackin will hand to `git clone`: https, ssh (`ssh://` or scp-like `user@host:path`),
 * and file:// for local repositories. Anything else (`ext::`, `fd::`, a leading `-` that git would
 * read as an option, control characters) is refused before git ever sees it.
 */
export function checkGitUrl(url: string): string {
  const refuse = (why: string): never => {
    throw new JackinError(
      'invalid_input',
      `refusing git URL '${url.replace(/[^\x20-\x7e]/g, '?')}': ${why}`,
      {
        hint: 'use https://…, ssh://…, git@host:owner/repo.git, or file:///path/to/repo',
      },
    );
  };
  if (url.length === 0) refuse('empty');
  if (url.startsWith('-')) refuse('it starts with "-" (would be read as an option)');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f]/.test(url)) refuse('it contains whitespace or control characters');
  if (/^[a-z][a-z0-9+.-]*::/i.test(url)) refuse('transport helpers (ext::, fd::, …) are not allowed');
  if (/^https:\/\/[^/]+\/.+/.test(url) || /^ssh:\/\/[^/]+\/.+/.test(url) || /^file:\/\/\/.+/.test(url))
    return url;
  if (/^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^/-][^:]*$/.test(url)) return url;
  return refuse('only https, ssh, git@host:path and file:// URLs are allowed');
}

export function looksLikeGitUrl(text: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ||
    /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:/.test(text) ||
    text.includes('::')
  );
}

/** Compares origins loosely: GitHub scp/ssh forms become https, trailing `.git` and `/` dropped, host lowercased. */
export function normalizeGitUrl(url: string): string {
  let out = url.trim();
  const scp = /^git@([^:]+):(.+)$/.exec(out);
  if (scp) out = `https://${scp[1]}/${scp[2]}`;
  const ssh = /^ssh:\/\/git@([^/]+)\/(.+)$/.exec(out);
  if (ssh) out = `https://${ssh[1]}/${ssh[2]}`;
  out = out.replace(/\/+$/, '').replace(/\.git$/, '');
  return out.replace(
    /^(https?:\/\/)([^/]+)/,
    (_, scheme: string, host: string) => `${scheme}${host.toLowerCase()}`,
  );
}
