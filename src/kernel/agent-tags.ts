/**
 * The one parser of agent tags: structured facts an agent prints on its output (DESIGN.md, "The
 * fleet"): `<jackin:status state="…" reason="…"/>`, `<jackin:pr url="…"/>`, `<jackin:issue url="…"/>`.
 * It lives in the kernel because both the task runner (src/workers, headless output lines) and the
 * status watcher (src/agents, captured tmux screens) read tags, and neither may import the other.
 */

export type AgentTagState = 'working' | 'blocked' | 'idle' | 'done';

export type AgentTag =
  | { readonly kind: 'pr' | 'issue'; readonly url: string }
  | { readonly kind: 'status'; readonly state: AgentTagState; readonly reason?: string };

/** A tag and its exact text, to recognise it again in a later capture of the same screen. */
export interface ScannedAgentTag {
  readonly tag: AgentTag;
  readonly raw: string;
}

const TAG = /<jackin:(status|pr|issue)((?:\s+[a-z_]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/>/g;
const ATTRIBUTE = /([a-z_]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const STATES: ReadonlySet<string> = new Set(['working', 'blocked', 'idle', 'done']);
const ENTITIES: Readonly<Record<string, string>> = {
  '&quot;': '"',
  '&apos;': "'",
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
};

function unescapeXml(text: string): string {
  return text.replace(/&(quot|apos|lt|gt|amp);/g, (entity) => ENTITIES[entity] ?? entity);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Every well-formed tag in some output (a line or a whole screen), in order, with its raw text.
 * Malformed tags, unknown states and non-http(s) URLs are ignored (they stay in the output).
 */
export function scanAgentTags(text: string): ScannedAgentTag[] {
  const out: ScannedAgentTag[] = [];
  for (const match of text.matchAll(TAG)) {
    const attributes = new Map<string, string>();
    for (const attribute of (match[2] ?? '').matchAll(ATTRIBUTE)) {
      attributes.set(attribute[1]!, unescapeXml(attribute[2] ?? attribute[3] ?? ''));
    }
    const kind = match[1];
    if (kind === 'status') {
      const state = attributes.get('state');
      if (state === undefined || !STATES.has(state)) continue;
      const reason = attributes.get('reason');
      out.push({
        raw: match[0],
        tag: { kind: 'status', state: state as AgentTagState, ...(reason ? { reason } : {}) },
      });
    } else if (kind === 'pr' || kind === 'issue') {
      const url = attributes.get('url');
      if (url && isHttpUrl(url)) out.push({ raw: match[0], tag: { kind, url } });
    }
  }
  return out;
}

/** Every well-formed tag in some output, in order. */
export function parseAgentTags(text: string): AgentTag[] {
  return scanAgentTags(text).map((scanned) => scanned.tag);
}
