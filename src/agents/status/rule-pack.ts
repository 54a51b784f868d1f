import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { problemsFromZod, renderProblem } from '../../config/issues.js';
import { parseToml } from '../../config/toml.js';
import { JackinError } from '../../kernel/errors.js';

/** A status the screen can show. `done` is not a screen state: it comes from the process or a tag. */
export const SCREEN_STATES = ['working', 'blocked', 'idle'] as const;
export type ScreenState = (typeof SCREEN_STATES)[number];

const regexSchema = z.string().refine((text) => {
  try {
    new RegExp(text, 'i');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

/**
 * One rule: the region of the screen it reads, case-insensitive substrings (`any`: one of them,
 * `all`: every one), an optional regex, and substrings that veto it (`forbid`).
 */
export const ruleSchema = z.strictObject({
  id: z.string().min(1),
  state: z.enum(SCREEN_STATES),
  priority: z.number().int().default(0),
  /** `all`, or `bottom:N` (the last N lines, counted from the last non-blank one). */
  region: z
    .string()
    .regex(/^(all|bottom:\d+)$/, 'expected all or bottom:N')
    .default('all'),
  any: z.array(z.string().min(1)).default([]),
  all: z.array(z.string().min(1)).default([]),
  regex: regexSchema.optional(),
  forbid: z.array(z.string().min(1)).default([]),
  reason: z.string().optional(),
});
export type Rule = z.infer<typeof ruleSchema>;

export const rulePackSchema = z
  .strictObject({
    schema_version: z.literal(1),
    runtime: z.string().min(1),
    /** Versions of the runtime the fixtures were captured from (documentation). */
    validated_versions: z.string().optional(),
    rules: z.array(ruleSchema).min(1),
  })
  .superRefine((pack, ctx) => {
    pack.rules.forEach((rule, index) => {
      if (rule.any.length === 0 && rule.all.length === 0 && rule.regex === undefined)
        ctx.addIssue({ code: 'custom', path: ['rules', index], message: 'a rule needs any, all or regex' });
    });
  });
export type RulePack = z.infer<typeof rulePackSchema>;

/** Parses one pack file; problems name the file and key. */
export function parseRulePack(text: string, file: string): RulePack {
  const raw = parseToml(text, file);
  const parsed = rulePackSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = problemsFromZod(parsed.error, file, text);
    throw new JackinError('invalid_config', problems.map(renderProblem).join('\n'), {
      hint: 'see docs for the agent-status rule pack format',
    });
  }
  return { ...parsed.data, rules: [...parsed.data.rules].sort((a, b) => b.priority - a.priority) };
}

/**
 * Packs by runtime from several directories, later directories overriding earlier ones per
 * runtime (shipped packs first, then the operator's `~/.jackin/agent-status/packs`).
 */
export function loadRulePacks(dirs: readonly string[]): Map<string, RulePack> {
  const packs = new Map<string, RulePack>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!name.endsWith('.toml')) continue;
      const file = join(dir, name);
      const pack = parseRulePack(readFileSync(file, 'utf8'), file);
      packs.set(pack.runtime, pack);
    }
  }
  return packs;
}
