/** What the final `FROM` of a role Dockerfile names, after checking it is the construct. */
export type FromCheck =
  | { readonly ok: true; readonly image: string; readonly line: number; readonly mapped: boolean }
  | { readonly ok: false; readonly line: number | undefined; readonly message: string };

/** jackin's own construct (`jackin/construct[:tag]`), possibly through the build arg jackin passes. */
const JACKIN_CONSTRUCT = /^jackin\/construct(:[A-Za-z0-9._-]+)?(@sha256:[a-f0-9]{64})?$/;
/** The construct of jackin' (the Rust tool): pinned `<ver>-trixie`, mapped to jackin's construct. */
const LEGACY_CONSTRUCT =
  /^(docker\.io\/)?projectjackin\/construct:(\d+(\.\d+)*-trixie)(@sha256:[a-f0-9]{64})?$/;
export const CONSTRUCT_BUILD_ARG = 'JACKIN_CONSTRUCT_IMAGE';

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

/** Splits a Dockerfile into instructions (comments dropped, `\` continuations joined). */
export function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let buffer = '';
  let start = 0;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (buffer === '' && (line.startsWith('#') || line === '')) return;
    if (buffer === '') start = index + 1;
    if (line.endsWith('\\')) {
      buffer += `${line.slice(0, -1)} `;
      return;
    }
    buffer += line;
    const match = /^(\S+)\s*(.*)$/.exec(buffer);
    if (match?.[1]) out.push({ keyword: match[1].toUpperCase(), args: (match[2] ?? '').trim(), line: start });
    buffer = '';
  });
  return out;
}

/** The final `FROM` must be the construct; `ARG` defaults before the first `FROM` are substituted. */
export function checkFinalFrom(text: string): FromCheck {
  const all = instructions(text);
  const args = new Map<string, string>();
  for (const instruction of all) {
    if (instruction.keyword === 'FROM') break;
    if (instruction.keyword === 'ARG') {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(instruction.args);
      if (m?.[1]) args.set(m[1], (m[2] ?? '').replace(/^["']|["']$/g, ''));
    }
  }
  const froms = all.filter((i) => i.keyword === 'FROM');
  const last = froms.at(-1);
  if (!last) return { ok: false, line: undefined, message: 'has no FROM instruction' };
  const words = last.args.split(/\s+/);
  if (words.some((w) => w.startsWith('--platform')))
    return { ok: false, line: last.line, message: 'final FROM must not set --platform' };
  const raw = words.find((w) => !w.startsWith('--')) ?? '';
  const viaArg = new RegExp(`^\\$\\{?${CONSTRUCT_BUILD_ARG}\\}?$`).test(raw);
  const image = raw.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => args.get(name) ?? '');
  if (viaArg || JACKIN_CONSTRUCT.test(image))
    return { ok: true, image: image || `\${${CONSTRUCT_BUILD_ARG}}`, line: last.line, mapped: false };
  if (LEGACY_CONSTRUCT.test(image)) return { ok: true, image, line: last.line, mapped: true };
  if (/projectjackin\/construct(:trixie)?$/.test(image)) {
    return {
      ok: false,
      line: last.line,
      message: `final FROM '${raw}' must pin a construct version (e.g. projectjackin/construct:0.35-trixie)`,
    };
  }
  return {
    ok: false,
    line: last.line,
    message: `final FROM '${raw}' is not the construct (use FROM \${${CONSTRUCT_BUILD_ARG}} or jackin/construct:<tag>)`,
  };
}
