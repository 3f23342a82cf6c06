import { describe, expect, it } from '@jest/globals';
import type { BridgeStackProps } from '../../lib/bridge-stack';
import { EVERYTHING_PROPS, FULL_PROPS, synth } from './synth';

/**
 * The synthesized template with what changes without an infrastructure change replaced: the
 * code asset's hash (it follows every source edit), and with provisioned concurrency the logical
 * id of the function's version, which CDK derives from the function's code and configuration.
 * Everything else, including the other logical ids, is deterministic, so a diff in the committed
 * snapshot is a real infrastructure change to review.
 * Update deliberately with `npm test -- test/infra/bridge-snapshot.test.ts -u`.
 */
function normalisedTemplate(props: BridgeStackProps): unknown {
  const text = JSON.stringify(synth(props).toJSON(), null, 2);
  return JSON.parse(
    text
      .replace(/\b[0-9a-f]{64}\b/g, '<asset-hash>')
      .replace(/\bBridgeFunctionCurrentVersion[0-9A-F]{8}[0-9a-f]{32}\b/g, 'BridgeFunctionCurrentVersion<code-hash>'),
  );
}

describe('template snapshot', () => {
  it('with default props', () => {
    expect(normalisedTemplate({})).toMatchSnapshot();
  });

  it('with every feature on', () => {
    expect(normalisedTemplate(FULL_PROPS)).toMatchSnapshot();
  });

  it('with every feature on, Konnect connected and its key rotated', () => {
    expect(normalisedTemplate(EVERYTHING_PROPS)).toMatchSnapshot();
  });

  it('normalises the code asset hash, so source edits do not churn the snapshot', () => {
    const text = JSON.stringify(normalisedTemplate({}));
    expect(text).toContain('<asset-hash>.zip');
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    // The version behind provisioned concurrency is named after the code: normalised too.
    expect(JSON.stringify(normalisedTemplate(FULL_PROPS))).toContain('"BridgeFunctionCurrentVersion<code-hash>"');
  });
});
