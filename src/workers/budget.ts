import type { TaskLimits } from '../domain/task.js';
import { formatSize } from '../kernel/size.js';

export interface BudgetLimits {
  readonly memoryBytes?: number | undefined;
  readonly cpus?: number | undefined;
}

/**
 * The worker's resource budget: a task is admitted only when its limits fit next to the tasks
 * already running. A task without a limit for a dimension asks nothing of it.
 */
export class ResourceBudget {
  private memoryUsed = 0;
  private cpusUsed = 0;

  constructor(readonly total: BudgetLimits) {}

  /** Whether the task could ever run here (its limits are within the whole budget). */
  canEverFit(limits: TaskLimits): boolean {
    return this.why(limits, 0, 0) === undefined;
  }

  /** Why it can never fit, for a warning; undefined when it can. */
  whyNever(limits: TaskLimits): string | undefined {
    return this.why(limits, 0, 0);
  }

  fitsNow(limits: TaskLimits): boolean {
    return this.why(limits, this.memoryUsed, this.cpusUsed) === undefined;
  }

  reserve(limits: TaskLimits): void {
    this.memoryUsed += limits.memoryBytes ?? 0;
    this.cpusUsed += limits.cpus ?? 0;
  }

  release(limits: TaskLimits): void {
    this.memoryUsed = Math.max(0, this.memoryUsed - (limits.memoryBytes ?? 0));
    this.cpusUsed = Math.max(0, this.cpusUsed - (limits.cpus ?? 0));
  }

  get used(): { memoryBytes: number; cpus: number } {
    return { memoryBytes: this.memoryUsed, cpus: this.cpusUsed };
  }

  private why(limits: TaskLimits, memoryUsed: number, cpusUsed: number): string | undefined {
    const { memoryBytes, cpus } = this.total;
    if (memoryBytes !== undefined && memoryUsed + (limits.memoryBytes ?? 0) > memoryBytes) {
      return `needs ${formatSize(limits.memoryBytes ?? 0)} of memory, the budget is ${formatSize(memoryBytes)}`;
    }
    // Compare in thousandths so 0.1 + 0.2 fits in 0.3.
    if (cpus !== undefined && Math.round((cpusUsed + (limits.cpus ?? 0)) * 1000) > Math.round(cpus * 1000)) {
      return `needs ${limits.cpus ?? 0} CPUs, the budget is ${cpus}`;
    }
    return undefined;
  }
}
