/** A `<jackin:…/>` tag an agent printed (DESIGN.md, "The fleet"). */
export type AgentTag =
  | { readonly tag: 'pr' | 'issue'; readonly url: string }
  | {
      readonly tag: 'status';
      readonly state: 'working' | 'blocked' | 'idle' | 'done';
      readonly reason?: string;
    };

const TAG = /<jackin:(status|pr|issue)((?:\s+[a-z_]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/>/g;
const ATTRIBUTE = /([a-z_]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const STATES = new Set(['working', 'blocked', 'idle', 'done']);
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

export interface ParsedTag {
  readonly tag: AgentTag;
  /** The exact text of the tag, to recognise it again in a later capture. */
  readonly raw: string;
}

/** Every well-formed tag in some output, in order; malformed tags and bad URLs are ignored. */
export function parseAgentTags(text: string): ParsedTag[] {
  const out: ParsedTag[] = [];
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
        tag: {
          tag: 'status',
          state: state as 'working' | 'blocked' | 'idle' | 'done',
          ...(reason ? { reason } : {}),
        },
      });
    } else if (kind === 'pr' || kind === 'issue') {
      const url = attributes.get('url');
      if (url && isHttpUrl(url)) out.push({ raw: match[0], tag: { tag: kind, url } });
    }
  }
  return out;
}

/**
 * Remembers tags already turned into events. A tag stays on screen for many captures; counting
 * occurrences per capture means a tag printed again (a second occurrence) is still seen as new.
 */
export class TagTracker {
  private readonly counts = new Map<string, number>();

  /** The tags of this capture not seen in earlier ones. */
  fresh(text: string): AgentTag[] {
    const seenNow = new Map<string, number>();
    const out: AgentTag[] = [];
    for (const parsed of parseAgentTags(text)) {
      const count = (seenNow.get(parsed.raw) ?? 0) + 1;
      seenNow.set(parsed.raw, count);
      if (count > (this.counts.get(parsed.raw) ?? 0)) {
        this.counts.set(parsed.raw, count);
        out.push(parsed.tag);
      }
    }
    return out;
  }
}
