/**
 * Best-effort line lookup for a key path in TOML text, so validation errors can say `file:line`.
 * It follows table headers (`[a.b]`, `[[a]]`), dotted keys and inline-table keys on one line; it
 * never fails, it just returns undefined when it cannot tell.
 */
export function locateKey(text: string, path: readonly (string | number)[]): number | undefined {
  const keys = path.filter((p): p is string => typeof p === 'string');
  if (keys.length === 0) return undefined;
  const lines = text.split(/\r?\n/);
  let table: string[] = [];
  let best: { line: number; depth: number } | undefined;
  const consider = (full: string[], line: number): void => {
    let depth = 0;
    while (depth < full.length && depth < keys.length && full[depth] === keys[depth]) depth++;
    if (depth === 0) return;
    if (!best || depth > best.depth) best = { line, depth };
  };
  lines.forEach((raw, index) => {
    const line = stripComment(raw).trim();
    if (line.length === 0) return;
    const header = /^\[\[?(.+?)\]\]?$/.exec(line);
    if (header?.[1]) {
      table = splitDotted(header[1]);
      consider(table, index + 1);
      return;
    }
    const assign = /^((?:"[^"]*"|'[^']*'|[A-Za-z0-9_.\- ])+?)\s*=(.*)$/.exec(line);
    if (!assign?.[1]) return;
    const full = [...table, ...splitDotted(assign[1])];
    consider(full, index + 1);
    // inline table: `name = { src = "…", dst = "…" }`
    const rest = assign[2] ?? '';
    for (const match of rest.matchAll(/([A-Za-z0-9_-]+|"[^"]*")\s*=/g)) {
      if (match[1]) consider([...full, unquote(match[1])], index + 1);
    }
  });
  return best?.line;
}

function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') return line.slice(0, i);
  }
  return line;
}

function splitDotted(key: string): string[] {
  const parts: string[] = [];
  for (const match of key.matchAll(/"([^"]*)"|'([^']*)'|([^.\s]+)/g)) {
    parts.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  return parts;
}

function unquote(key: string): string {
  return key.startsWith('"') ? key.slice(1, -1) : key;
}
