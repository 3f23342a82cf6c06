import { type LifecycleTarget, runLifecycle, STEPS, type Step } from './lifecycle';

export interface LoadOptions {
  target: LifecycleTarget;
  lifecycles: number;
  concurrency: number;
  /** No lifecycle starts after this many milliseconds; the ones running finish. */
  deadlineMs: number;
}

export interface LoadReport {
  started: number;
  completed: number;
  /** One line per failed lifecycle: the step and what went wrong. */
  errors: string[];
  elapsedMs: number;
  /** Latency of each step over the completed and failed lifecycles. */
  stepMs: Record<Step, number[]>;
  /** Whole lifecycles, completed ones only. */
  lifecycleMs: number[];
}

/** Runs `lifecycles` lifecycles, at most `concurrency` at a time. */
export async function runLoad({ target, lifecycles, concurrency, deadlineMs }: LoadOptions): Promise<LoadReport> {
  const startedAt = performance.now();
  const report: LoadReport = {
    started: 0,
    completed: 0,
    errors: [],
    elapsedMs: 0,
    stepMs: Object.fromEntries(STEPS.map((step) => [step, []])) as unknown as Record<Step, number[]>,
    lifecycleMs: [],
  };
  const worker = async () => {
    while (report.started < lifecycles && performance.now() - startedAt < deadlineMs) {
      const index = report.started;
      report.started += 1;
      const lifecycleStart = performance.now();
      try {
        const { timings } = await runLifecycle(target, index);
        for (const { step, ms } of timings) report.stepMs[step].push(ms);
        report.lifecycleMs.push(performance.now() - lifecycleStart);
        report.completed += 1;
      } catch (error) {
        report.errors.push(`lifecycle ${index}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  report.elapsedMs = performance.now() - startedAt;
  return report;
}
