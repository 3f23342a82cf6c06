import { describe, expect, it } from '@jest/globals';
import { BridgeError } from '../../../functions/commons/bridge-error';
import { createApplicationRequest } from '../../../functions/contract/create-application-request';
import { newClientFrom } from '../../../functions/contract/new-client';

/** Parses like the route does, then translates. */
const translate = (body: Record<string, unknown>) => newClientFrom(createApplicationRequest.parse(body), body);

describe('newClientFrom', () => {
  it('translates a full Konnect body and adjusts nothing', () => {
    const { client, adjustments } = translate({
      client_name: 'Weather app',
      redirect_uris: ['https://app.example.com/cb'],
      grant_types: ['authorization_code', 'bearer'],
      scopes: ['read'],
      token_endpoint_auth_method: 'client_secret_post',
      application_description: 'Shows the weather',
      portal_id: 'p-1',
      organization_id: 'o-1',
      developer_id: 'd-1',
      auth_strategy_id: 'a-1',
      dcr_provider_id: 'dcr-1',
      application_id: 'app-1',
    });
    expect(client).toEqual({
      clientName: 'Weather app',
      description: 'Shows the weather',
      redirectUris: ['https://app.example.com/cb'],
      grantTypes: ['client_credentials', 'authorization_code'],
      responseTypes: ['code'],
      scopes: ['read'],
      tokenEndpointAuthMethod: 'client_secret_post',
      konnect: {
        portalId: 'p-1',
        organizationId: 'o-1',
        developerId: 'd-1',
        applicationId: 'app-1',
        authStrategyId: 'a-1',
        dcrProviderId: 'dcr-1',
      },
    });
    expect(adjustments).toEqual({});
  });

  it('lists the ignored auth methods once, and never asks for the password grant', () => {
    const { client, adjustments } = translate({
      client_name: 'App',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['password', 'introspection', 'kong_oauth2', 'something_new', 'bearer', 'password'],
    });
    expect(client.grantTypes).toEqual(['client_credentials']);
    expect(adjustments).toEqual({
      ignored_auth_methods: ['password', 'introspection', 'kong_oauth2', 'something_new'],
    });
  });

  it.each(['client_secret_basic', 'client_secret_post', 'client_secret_jwt'])(
    'uses the secret method %s as sent',
    (method) => {
      const { client, adjustments } = translate({ client_name: 'App', token_endpoint_auth_method: method });
      expect(client.tokenEndpointAuthMethod).toBe(method);
      expect(adjustments).toEqual({});
    },
  );

  it.each([
    ['none', 'none'],
    ['private_key_jwt', 'private_key_jwt'],
    ['an unknown method', 'something_new'],
    ['empty', ''],
    ['null', null],
  ])('uses client_secret_basic for %s, saying so', (_label, method) => {
    const { client, adjustments } = translate({ client_name: 'App', token_endpoint_auth_method: method });
    expect(client.tokenEndpointAuthMethod).toBe('client_secret_basic');
    expect(adjustments).toEqual({ requested_auth_method: method, used_auth_method: 'client_secret_basic' });
  });

  it('says when client_secret_basic was used because no method was sent', () => {
    expect(translate({ client_name: 'App' }).adjustments).toEqual({
      requested_auth_method: null,
      used_auth_method: 'client_secret_basic',
    });
  });

  it('names every default, cut and dropped field of an odd body', () => {
    const { client, adjustments } = translate({
      token_endpoint_auth_method: 'client_secret_basic',
      application_description: 'd'.repeat(1001),
      portal_id: 'test portal_id',
      developer_id: 7,
      dcr_provider_id: '',
    });
    expect(client.clientName).toBe('Konnect application');
    expect(client.konnect).toEqual({ portalId: 'test portal_id' });
    expect(adjustments).toEqual({
      defaulted_client_name: 'Konnect application',
      truncated_fields: ['application_description'],
      dropped_ids: ['developer_id', 'dcr_provider_id'],
    });
  });

  it('does not call a name cut when only its surrounding spaces made it long', () => {
    const { client, adjustments } = translate({
      client_name: `   ${'n'.repeat(255)}   `,
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect(client.clientName).toHaveLength(255);
    expect(adjustments).toEqual({});
  });

  it('names a cut client_name', () => {
    expect(
      translate({ client_name: 'n'.repeat(256), token_endpoint_auth_method: 'client_secret_basic' }).adjustments,
    ).toEqual({ truncated_fields: ['client_name'] });
  });

  it('still refuses a redirect grant without a redirect URI, naming redirect_uris', () => {
    let thrown: unknown;
    try {
      translate({ client_name: 'App', grant_types: ['authorization_code'] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BridgeError);
    expect((thrown as BridgeError).statusCode).toBe(400);
    expect((thrown as BridgeError).description).toContain('redirect_uris');
  });
});
