/**
 * Every failure the operator can see is a JackinError with a string code. The code decides the
 * exit code through one table (EXIT_CODES), so the mapping cannot drift between commands.
 */
export const EXIT_CODES = {
  ok: 0,
  failed: 1,
  usage: 2,
  not_found: 3,
  conflict: 4,
  docker_unavailable: 5,
} as const;

export type ExitCategory = keyof typeof EXIT_CODES;

/** Error codes known to jackin, with the exit category each maps to. */
export const ERROR_CODES = {
  usage: 'usage',
  invalid_input: 'usage',
  invalid_config: 'usage',
  invalid_manifest: 'usage',
  invalid_event: 'usage',
  unknown_event_type: 'usage',
  not_found: 'not_found',
  version_conflict: 'conflict',
  name_taken: 'conflict',
  locked: 'conflict',
  instance_busy: 'conflict',
  docker_unavailable: 'docker_unavailable',
  database_corrupt: 'failed',
  database_too_new: 'failed',
  integrity_failed: 'failed',
  operation_failed: 'failed',
  image_build_failed: 'failed',
  launch_failed: 'failed',
  git_failed: 'failed',
  untrusted_role: 'usage',
  credential_missing: 'usage',
  sensitive_mount: 'usage',
  role_cache_dirty: 'failed',
  role_origin_mismatch: 'failed',
  invalid_transition: 'conflict',
  github_failed: 'failed',
  github_unauthorized: 'usage',
  github_rate_limited: 'failed',
  internal: 'failed',
} as const satisfies Record<string, ExitCategory>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface JackinErrorOptions {
  hint?: string | undefined;
  cause?: unknown;
  details?: Record<string, unknown> | undefined;
  /** Extra top-level keys for the `--json` error document (e.g. the failing verify report). */
  json?: Record<string, unknown> | undefined;
}

export class JackinError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly json: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: JackinErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JackinError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    this.json = options.json;
  }

  get exitCode(): number {
    return exitCodeFor(this.code);
  }
}

export class UsageError extends JackinError {
  constructor(message: string, options: JackinErrorOptions = {}) {
    super('usage', message, options);
    this.name = 'UsageError';
  }
}

export class NotFoundError extends JackinError {
  constructor(message: string, options: JackinErrorOptions = {}) {
    super('not_found', message, options);
    this.name = 'NotFoundError';
  }
}

export class DockerUnavailableError extends JackinError {
  constructor(message: string, options: JackinErrorOptions = {}) {
    super('docker_unavailable', message, {
      hint: 'start the Docker engine (e.g. `sudo systemctl start docker`) and check `docker info`',
      ...options,
    });
    this.name = 'DockerUnavailableError';
  }
}

export function exitCodeFor(code: ErrorCode): number {
  return EXIT_CODES[ERROR_CODES[code]];
}

export function isJackinError(value: unknown): value is JackinError {
  return value instanceof JackinError;
}
