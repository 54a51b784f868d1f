import { scanAgentTags } from '../../kernel/agent-tags.js';
import type { AgentTag } from '../../kernel/agent-tags.js';

/**
 * Remembers tags already turned into events. A tag stays on screen for many captures; counting
 * occurrences per capture means a tag printed again (a second occurrence) is still seen as new.
 * Parsing is the kernel's (src/kernel/agent-tags.ts), shared with the task runner.
 */
export class TagTracker {
  private readonly counts = new Map<string, number>();

  /** The tags of this capture not seen in earlier ones. */
  fresh(text: string): AgentTag[] {
    const seenNow = new Map<string, number>();
    const out: AgentTag[] = [];
    for (const scanned of scanAgentTags(text)) {
      const count = (seenNow.get(scanned.raw) ?? 0) + 1;
      seenNow.set(scanned.raw, count);
      if (count > (this.counts.get(scanned.raw) ?? 0)) {
        this.counts.set(scanned.raw, count);
        out.push(scanned.tag);
      }
    }
    return out;
  }
}
