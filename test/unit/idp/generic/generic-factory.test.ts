import { describe, expect, it } from '@jest/globals';
import { genericAdapter } from '../../../../functions/idp/generic/generic-factory';

const parse = (env: Record<string, string>) =>
  genericAdapter.settings.safeParse({ IDP_REGISTRATION_ENDPOINT: 'https://idp.example.com/register', ...env });

describe('IDP_REDIRECT_URI_UPDATES', () => {
  it.each(['apply', 'refuse'])('accepts "%s"', (value) => {
    expect(parse({ IDP_REDIRECT_URI_UPDATES: value }).data?.IDP_REDIRECT_URI_UPDATES).toBe(value);
  });

  it.each<Record<string, string>>([{}, { IDP_REDIRECT_URI_UPDATES: '' }])(
    'leaves the choice to the adapter when unset (%j)',
    (env) => {
      expect(parse(env).data?.IDP_REDIRECT_URI_UPDATES).toBeUndefined();
    },
  );

  it('refuses anything else, naming the values', () => {
    const parsed = parse({ IDP_REDIRECT_URI_UPDATES: 'ignore' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['IDP_REDIRECT_URI_UPDATES'],
      message: 'must be "apply" or "refuse"',
    });
  });
});
