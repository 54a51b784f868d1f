import type { ContainerRuntime, ContainerSpec } from './port.js';

export interface RunResult {
  readonly exitCode: number;
  readonly output: string;
}

/** Runs a short-lived container to completion and removes it, even when start fails. */
export async function runToCompletion(runtime: ContainerRuntime, spec: ContainerSpec): Promise<RunResult> {
  const id = await runtime.containers.create(spec);
  try {
    await runtime.containers.start(id);
    const exitCode = await runtime.containers.wait(id);
    const output = await runtime.containers.logs(id);
    return { exitCode, output };
  } finally {
    await runtime.containers.remove(id);
  }
}
