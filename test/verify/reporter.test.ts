import { describe, expect, it } from '@jest/globals';
import { mask } from '../../bin/verify/mask';
import { Reporter } from '../../bin/verify/reporter';

describe('mask', () => {
  it('keeps the first 4 characters of a secret and hides short ones completely', () => {
    expect(mask('abcdefghijklmnop')).toBe('abcd…');
    expect(mask('short')).toBe('****');
  });
});

describe('Reporter', () => {
  const capture = () => {
    const lines: string[] = [];
    return { reporter: new Reporter((line) => lines.push(line)), lines };
  };

  it('masks every hidden value wherever it appears, even inside text a bridge sent back', () => {
    const { reporter, lines } = capture();
    reporter.hide('konnect_key_0123456789');
    reporter.hide('client-secret-9876543210');

    reporter.record({
      name: 'create application (POST /)',
      status: 'fail',
      httpStatus: 500,
      why: 'the bridge answered 500 (server_error: key konnect_key_0123456789 and client-secret-9876543210 leaked)',
    });

    const text = lines.join('\n');
    expect(text).not.toContain('konnect_key_0123456789');
    expect(text).not.toContain('client-secret-9876543210');
    expect(text).toContain('key konn… and clie… leaked');
  });

  it('prints one line per step with status and time, the reason under a failure, and a summary', () => {
    const { reporter, lines } = capture();

    reporter.record({ name: 'delete application (DELETE /{id})', status: 'pass', httpStatus: 204, ms: 12.4 });
    reporter.record({ name: 'delete again (DELETE /{id})', status: 'fail', httpStatus: 404, ms: 3, why: 'it was 404' });
    reporter.skip(['a', 'b'], 'because');
    reporter.summary(99.6);

    expect(lines).toEqual([
      `PASS  ${'delete application (DELETE /{id})'.padEnd(44)} 204    12 ms`,
      `FAIL  ${'delete again (DELETE /{id})'.padEnd(44)} 404     3 ms`,
      '      why: it was 404',
      'SKIP  2 steps: a, b',
      '      skipped: because',
      '',
      'Failures:',
      '  - delete again (DELETE /{id}): it was 404',
      'verify: FAILED — 1 passed, 1 failed, 2 skipped in 100 ms',
    ]);
    expect(reporter.failed.map((step) => step.name)).toEqual(['delete again (DELETE /{id})']);
  });

  it('prints a warning with its note, lists it before the summary, and does not count it as a failure', () => {
    const { reporter, lines } = capture();

    reporter.record({ name: 'event hook update_application', status: 'warn', httpStatus: 409, ms: 2, why: 'refused' });
    reporter.summary(5);

    expect(lines).toEqual([
      `WARN  ${'event hook update_application'.padEnd(44)} 409     2 ms`,
      '      note: refused',
      '',
      'Warnings:',
      '  - event hook update_application: refused',
      'verify: PASSED — 0 passed, 0 failed, 0 skipped, 1 warned in 5 ms',
    ]);
    expect(reporter.failed).toEqual([]);
  });
});
