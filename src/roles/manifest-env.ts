import { RESERVED_ENV_NAMES } from '../config/env-value.js';
import { envDeclarationSchema } from './manifest-schema.js';
import type { EnvDeclaration } from './manifest-schema.js';

export interface EnvProblem {
  readonly path: (string | number)[];
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INTERPOLATION = /\$\{env\.([^}]*)\}/g;

/**
 * The `[env.NAME]` rules (jackin-facts §3.6): valid, non-reserved names; non-interactive needs a
 * default; `options` needs `interactive` and may not interpolate; `depends_on` lists `env.X` that
 * exist, not itself, without duplicates or cycles; `${env.X}` in `prompt`/`default` must be declared
 * and listed in `depends_on`. Every problem is returned, not just the first.
 */
export function checkEnvDeclarations(raw: Record<string, unknown>): EnvProblem[] {
  const problems: EnvProblem[] = [];
  const error = (path: (string | number)[], message: string): void =>
    void problems.push({ path, message, severity: 'error' });
  const declared = new Map<string, EnvDeclaration>();
  for (const [name, value] of Object.entries(raw)) {
    if (!NAME.test(name)) error(['env', name], 'not a valid env name');
    else if (RESERVED_ENV_NAMES.has(name)) error(['env', name], 'reserved by jackin');
    const parsed = envDeclarationSchema.safeParse(value);
    if (parsed.success) declared.set(name, parsed.data);
  }
  const edges = new Map<string, string[]>();
  for (const [name, decl] of declared) {
    const at = (key: string): (string | number)[] => ['env', name, key];
    if (!decl.interactive && decl.default === undefined)
      error(['env', name], 'a non-interactive variable needs a default');
    if (decl.options.length > 0 && !decl.interactive)
      error(at('options'), 'options require interactive = true');
    if (decl.options.some((o) => o.includes('${env.')))
      error(at('options'), 'options may not interpolate ${env.…}');
    if (decl.prompt !== undefined && !decl.interactive)
      problems.push({
        path: at('prompt'),
        message: 'prompt is ignored without interactive = true',
        severity: 'warning',
      });
    const deps: string[] = [];
    const seen = new Set<string>();
    decl.depends_on.forEach((dep, index) => {
      const m = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(dep);
      if (!m?.[1]) return error(['env', name, 'depends_on', index], `'${dep}' must be written env.NAME`);
      const target = m[1];
      if (target === name)
        return error(['env', name, 'depends_on', index], 'a variable cannot depend on itself');
      if (seen.has(target)) return error(['env', name, 'depends_on', index], `'${dep}' is listed twice`);
      seen.add(target);
      if (!(target in raw)) return error(['env', name, 'depends_on', index], `'${dep}' is not declared`);
      deps.push(target);
    });
    edges.set(name, deps);
    for (const key of ['prompt', 'default'] as const) {
      const text = decl[key];
      if (text === undefined) continue;
      for (const match of text.matchAll(INTERPOLATION)) {
        const ref = match[1] ?? '';
        if (!(ref in raw)) error(at(key), `\${env.${ref}} refers to an undeclared variable`);
        else if (!seen.has(ref)) error(at(key), `\${env.${ref}} must also be listed in depends_on`);
      }
    }
  }
  for (const cycle of findCycles(edges))
    error(['env', cycle[0] ?? '', 'depends_on'], `depends_on cycle: ${cycle.join(' → ')}`);
  return problems;
}

/** Each cycle once, as the path that closes it (a → b → a). */
function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}
