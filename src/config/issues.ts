import type { z } from 'zod';
import { locateKey } from './key-locator.js';

/** One problem found in a file: where, and what is wrong. */
export interface FileProblem {
  readonly file: string;
  readonly line: number | undefined;
  readonly column?: number;
  readonly path: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** `file:line: path.to.key: message` (line omitted when unknown, path omitted for the whole file). */
export function renderProblem(problem: FileProblem): string {
  const where =
    problem.line === undefined
      ? problem.file
      : `${problem.file}:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  const prefix = problem.severity === 'warning' ? 'warning: ' : '';
  return problem.path
    ? `${prefix}${where}: ${problem.path}: ${problem.message}`
    : `${prefix}${where}: ${problem.message}`;
}

export function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      const key = String(p);
      const safe = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
      return i === 0 ? safe : `.${safe}`;
    })
    .join('')
    .replace(/\.\[/g, '[');
}

/** Turns zod issues into file problems; unknown keys name the key itself. */
export function problemsFromZod(error: z.ZodError, file: string, text: string): FileProblem[] {
  const problems: FileProblem[] = [];
  for (const issue of error.issues) {
    const base = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...base, key];
        problems.push({
          file,
          line: locateKey(text, path),
          path: pathText(path),
          message: 'unknown key',
          severity: 'error',
        });
      }
      continue;
    }
    problems.push({
      file,
      line: locateKey(text, base),
      path: pathText(base),
      message: describe(issue),
      severity: 'error',
    });
  }
  return problems;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const expected = String(issue.expected);
    return issue.input === undefined
      ? `required (${expected})`
      : `expected ${expected}, got ${typeName(issue.input)}`;
  }
  if (issue.code === 'invalid_value')
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_union')
    return issue.message === 'Invalid input' ? 'not a valid value here' : issue.message;
  return issue.message;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value === null) return 'null';
  return typeof value;
}
