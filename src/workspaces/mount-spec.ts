import { isAbsolute, posix, resolve } from 'node:path';
import { JackinError } from '../kernel/errors.js';

/** A mount as the operator typed it, before canonicalization. */
export interface MountSpec {
  readonly src: string;
  readonly dst: string;
  readonly readonly: boolean;
}

export interface PathContext {
  readonly home: string;
  readonly cwd: string;
}

/** `~` and `~/…` become the operator's home; relative paths resolve against the cwd. */
export function expandHostPath(path: string, context: PathContext): string {
  if (path === '~') return context.home;
  if (path.startsWith('~/')) return resolve(context.home, path.slice(2));
  if (path.startsWith('~')) {
    throw new JackinError('invalid_input', `cannot expand '${path}'`, {
      hint: 'only ~ and ~/… (your own home) are expanded',
    });
  }
  return resolve(context.cwd, path);
}

/** A container path must be absolute; it is normalised (no `..`, no trailing slash). */
export function checkContainerPath(dst: string, spec: string): string {
  if (!dst.startsWith('/')) {
    throw new JackinError('invalid_input', `mount destination '${dst}' in '${spec}' is relative`, {
      hint: 'container paths must be absolute, e.g. /workspace/app',
    });
  }
  const normal = posix.normalize(dst);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

/**
 * Parses `SRC`, `SRC:DST`, `SRC:ro`, `SRC:DST:ro` (or `:rw`). Without DST the source is mounted at
 * the same path inside the container.
 */
export function parseMountSpec(spec: string, context: PathContext): MountSpec {
  const text = spec.trim();
  if (text.length === 0)
    throw new JackinError('invalid_input', 'empty mount', { hint: 'use SRC[:DST][:ro]' });
  const parts = text.split(':');
  let readonly = false;
  const last = parts.at(-1);
  if (parts.length > 1 && (last === 'ro' || last === 'rw')) {
    readonly = last === 'ro';
    parts.pop();
  }
  if (parts.length > 2 || parts.some((p) => p.length === 0)) {
    throw new JackinError('invalid_input', `invalid mount '${spec}'`, {
      hint: 'use SRC[:DST][:ro], e.g. ~/src/app:/workspace/app:ro',
    });
  }
  const [rawSrc = '', rawDst] = parts;
  const src = expandHostPath(rawSrc, context);
  const dst = checkContainerPath(rawDst ?? src, spec);
  return { src, dst, readonly };
}

/** True when the text looks like a path rather than a name (used to tell TARGET forms apart). */
export function looksLikePath(text: string): boolean {
  return (
    text.startsWith('/') ||
    text.startsWith('.') ||
    text.startsWith('~') ||
    isAbsolute(text) ||
    text.includes('/')
  );
}
