import { DockerUnavailableError, JackinError } from '../../kernel/errors.js';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'ENOTFOUND',
]);

interface DockerodeErrorShape {
  code?: string;
  statusCode?: number;
  reason?: string;
  json?: { message?: string } | null;
  message?: string;
}

function shape(error: unknown): DockerodeErrorShape {
  return typeof error === 'object' && error !== null ? error : { message: String(error) };
}

/** HTTP status of an engine error, if it was one. */
export function statusOf(error: unknown): number | undefined {
  return shape(error).statusCode;
}

/** The engine's own message (`json.message`), else the error message, on one line. */
export function engineMessage(error: unknown): string {
  const s = shape(error);
  const text = s.json?.message ?? s.message ?? 'unknown Docker error';
  return text.replace(/\s+/g, ' ').trim();
}

/** True when the failure means the engine could not be reached at all. */
export function isUnreachable(error: unknown): boolean {
  const code = shape(error).code;
  return code !== undefined && UNREACHABLE.has(code);
}

/** Maps a dockerode failure to a JackinError: unreachable → exit 5, anything else → operation_failed. */
export function toRuntimeError(error: unknown, action: string, endpoint: string): JackinError {
  if (error instanceof JackinError) return error;
  if (isUnreachable(error)) {
    return new DockerUnavailableError(
      `cannot connect to the Docker engine at ${endpoint} (${shape(error).code})`,
      {
        cause: error,
      },
    );
  }
  return new JackinError('operation_failed', `${action}: ${engineMessage(error)}`, {
    hint: 'check `docker info` and the engine log',
    cause: error,
  });
}

/** Runs an engine call, translating its failures; 404 becomes `undefined` when allowed. */
export async function call<T>(action: string, endpoint: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toRuntimeError(error, action, endpoint);
  }
}

export async function callOrMissing<T>(
  action: string,
  endpoint: string,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw toRuntimeError(error, action, endpoint);
  }
}
