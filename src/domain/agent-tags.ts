/** A structured fact an agent printed on its output (DESIGN.md, "The fleet"). */
export type AgentTag =
  | { readonly kind: 'pr'; readonly url: string }
  | { readonly kind: 'issue'; readonly url: string }
  | {
      readonly kind: 'status';
      readonly state: 'working' | 'blocked' | 'idle' | 'done';
      readonly reason: string | undefined;
    };

const TAG = /<jackin:(pr|issue|status)((?:\s+[a-z_]+\s*=\s*"[^"]*")*)\s*\/>/g;
const ATTRIBUTE = /([a-z_]+)\s*=\s*"([^"]*)"/g;
const STATES = new Set(['working', 'blocked', 'idle', 'done']);

function unescape(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every well-formed tag in one line of agent output; malformed ones are ignored (they stay in the log). */
export function parseAgentTags(line: string): AgentTag[] {
  const tags: AgentTag[] = [];
  for (const match of line.matchAll(TAG)) {
    const attributes = new Map<string, string>();
    for (const attribute of (match[2] ?? '').matchAll(ATTRIBUTE)) {
      attributes.set(attribute[1]!, unescape(attribute[2]!));
    }
    const kind = match[1];
    if (kind === 'status') {
      const state = attributes.get('state');
      if (state === undefined || !STATES.has(state)) continue;
      tags.push({
        kind,
        state: state as 'working' | 'blocked' | 'idle' | 'done',
        reason: attributes.get('reason'),
      });
    } else if (kind === 'pr' || kind === 'issue') {
      const url = attributes.get('url');
      if (url) tags.push({ kind, url });
    }
  }
  return tags;
}
