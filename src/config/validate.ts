import type { z } from 'zod';
import { JackinError } from '../kernel/errors.js';
import type { ErrorCode } from '../kernel/errors.js';
import { problemsFromZod, renderProblem } from './issues.js';
import type { FileProblem } from './issues.js';

/** Parses with a schema, or throws one JackinError naming the first problem (all are in details). */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  file: string,
  text: string,
  code: ErrorCode = 'invalid_config',
): z.output<S> {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw problemsError(problemsFromZod(parsed.error, file, text), code);
}

export function problemsError(
  problems: readonly FileProblem[],
  code: ErrorCode = 'invalid_config',
): JackinError {
  const rendered = problems.map(renderProblem);
  const more =
    rendered.length > 1 ? ` (and ${rendered.length - 1} more: ${rendered.slice(1).join('; ')})` : '';
  return new JackinError(code, `${rendered[0] ?? 'invalid file'}${more}`, {
    hint:
      code === 'invalid_manifest'
        ? 'run `jackin role validate` to list every problem'
        : 'fix the file; unknown keys are not allowed',
    details: { problems: rendered },
  });
}
