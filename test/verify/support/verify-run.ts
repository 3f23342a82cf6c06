import { runVerify } from '../../../bin/verify/run-verify';
import type { VerifyOptions } from '../../../bin/verify/verify-options';

/** Where a test's verify run points, besides what each test changes. */
export interface VerifyTarget {
  url: () => string;
  key: string;
  tokenEndpoint: () => string;
  defaults?: Partial<VerifyOptions>;
}

/**
 * One verify run as a test reads it: the result, its printed text, and a step's status by name.
 * Quick settings (5 s timeout, no propagation wait) unless a test says otherwise.
 */
export function verifyRunner(target: VerifyTarget) {
  return async (options: Partial<VerifyOptions> = {}) => {
    const lines: string[] = [];
    const result = await runVerify(
      {
        url: target.url(),
        key: target.key,
        tokenEndpoint: target.tokenEndpoint(),
        scopes: [],
        timeoutMs: 5000,
        propagationWaitMs: 0,
        skipRotation: false,
        ...target.defaults,
        ...options,
      },
      (line) => lines.push(line),
    );
    const status = (name: string) => result.steps.find((step) => step.name === name)?.status;
    return { ...result, text: lines.join('\n'), status };
  };
}
