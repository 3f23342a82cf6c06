import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type CognitoBridge, startCognitoBridge } from '../support/cognito-bridge';

const KEY = 'cognito_settings_key_0001';

describe('a Cognito bridge for client credentials without IDP_COGNITO_DEFAULT_SCOPES', () => {
  let target: CognitoBridge;

  beforeAll(async () => {
    // The fake's env() sets default scopes; "" is unset.
    target = await startCognitoBridge(KEY, { IDP_COGNITO_DEFAULT_SCOPES: '' });
  });
  afterAll(() => target?.stop());

  it('answers 503 naming the setting, instead of a 400 for Konnect’s Verify, and calls nothing', async () => {
    const answer = await target.create({
      client_name: 'test client_name',
      redirect_uris: [],
      grant_types: ['client_credentials'],
      scopes: [],
      token_endpoint_auth_method: 'client_secret_basic',
      application_description: '',
      portal_id: 'test portal_id',
      organization_id: 'o',
      developer_id: 'd',
    });
    expect(answer.status).toBe(503);
    expect(JSON.stringify(answer.body)).toContain('IDP_COGNITO_DEFAULT_SCOPES');
    expect(target.cognito.operations()).toEqual([]);
  });
});
