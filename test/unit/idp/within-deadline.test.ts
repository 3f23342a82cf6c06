import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { withinDeadline } from '../../../functions/idp/idp-adapter';

describe('withinDeadline', () => {
  it('aborts the operation signal with a TimeoutError at the deadline', async () => {
    const reason = await withinDeadline(20, async ({ signal }) => {
      await sleep(200, undefined, { signal }).catch(() => undefined);
      return signal.reason as DOMException;
    });
    expect(reason.name).toBe('TimeoutError');
  });

  it('gives the deadline as epoch ms and disarms it once the work settles', async () => {
    const before = Date.now();
    let kept: AbortSignal | undefined;
    const deadlineAt = await withinDeadline(30, async (operation) => {
      kept = operation.signal;
      return operation.deadlineAt;
    });
    expect(deadlineAt).toBeGreaterThanOrEqual(before + 30);
    await sleep(80);
    expect(kept?.aborted).toBe(false);
  });

  it('disarms the deadline when the work fails too', async () => {
    let kept: AbortSignal | undefined;
    await expect(
      withinDeadline(30, async ({ signal }) => {
        kept = signal;
        throw new Error('failed');
      }),
    ).rejects.toThrow('failed');
    await sleep(80);
    expect(kept?.aborted).toBe(false);
  });
});
