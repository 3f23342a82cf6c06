import { mask } from './mask';

/** Where verify writes its lines (stdout in the CLI, a buffer in tests). */
export type VerifyOutput = (line: string) => void;

/** `warn`: the bridge did what it is set up to do, but it limits what Konnect can do; not a failure. */
export type StepStatus = 'pass' | 'fail' | 'skip' | 'warn';

export interface StepOutcome {
  status: StepStatus;
  /** The HTTP status that decided the step, if any. */
  httpStatus?: number;
  /** A short fact for the line, e.g. the client id. */
  detail?: string;
  /** Why it failed, was skipped or warns, in plain words. */
  why?: string;
}

export interface StepRecord extends StepOutcome {
  name: string;
  ms?: number;
}

const LABELS: Record<StepStatus, string> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', warn: 'WARN' };
const REASONS: Record<StepStatus, string> = { pass: 'why', fail: 'why', skip: 'skipped', warn: 'note' };

/**
 * Prints one line per step and a summary. Every value registered with `hide` (the key, client
 * secrets) is masked in everything printed, whatever a bridge or IdP put into its answers.
 */
export class Reporter {
  readonly steps: StepRecord[] = [];
  private readonly secrets = new Set<string>();

  constructor(private readonly output: VerifyOutput) {}

  hide(secret: string | undefined): void {
    if (secret) this.secrets.add(secret);
  }

  line(text: string): void {
    this.output(this.redact(text));
  }

  record(step: StepRecord): void {
    this.steps.push(step);
    const status = step.httpStatus === undefined ? '   ' : String(step.httpStatus).padStart(3);
    const ms = step.ms === undefined ? '        ' : `${String(Math.round(step.ms)).padStart(5)} ms`;
    const detail = step.detail ? `  ${step.detail}` : '';
    this.line(`${LABELS[step.status]}  ${step.name.padEnd(44)} ${status} ${ms}${detail}`.trimEnd());
    if (step.why) this.line(`      ${REASONS[step.status]}: ${step.why}`);
  }

  /** Steps that cannot run for one reason: each counted, all printed on one line. */
  skip(names: string[], why: string): void {
    if (names.length === 0) return;
    for (const name of names) this.steps.push({ name, status: 'skip', why });
    this.line(`${LABELS.skip}  ${names.length === 1 ? names[0] : `${names.length} steps: ${names.join(', ')}`}`);
    this.line(`      skipped: ${why}`);
  }

  get failed(): StepRecord[] {
    return this.steps.filter((step) => step.status === 'fail');
  }

  summary(totalMs: number): void {
    const count = (status: StepStatus) => this.steps.filter((step) => step.status === status).length;
    const failures = this.failed;
    const warnings = this.steps.filter((step) => step.status === 'warn');
    this.line('');
    if (warnings.length > 0) {
      this.line('Warnings:');
      for (const step of warnings) this.line(`  - ${step.name}: ${step.why ?? 'see above'}`);
    }
    if (failures.length > 0) {
      this.line('Failures:');
      for (const step of failures) this.line(`  - ${step.name}: ${step.why ?? 'failed'}`);
    }
    const warned = warnings.length > 0 ? `, ${warnings.length} warned` : '';
    this.line(
      `verify: ${failures.length > 0 ? 'FAILED' : 'PASSED'} — ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped${warned} in ${Math.round(totalMs)} ms`,
    );
  }

  private redact(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      result = result.split(secret).join(mask(secret));
    }
    return result;
  }
}
