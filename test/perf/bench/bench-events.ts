import type { APIGatewayProxyEvent } from 'aws-lambda';
import { matchRoute, toApiGatewayEvent } from '../../../bin/local/api-gateway-event';
import { translateGrants } from '../../../functions/contract/grant-translation';
import { registrationRequest } from '../../../functions/idp/generic/client-registration';

/** A create as Konnect sends it, every field filled in. */
const CREATE_BODY = {
  client_name: 'Bench App',
  redirect_uris: [],
  grant_types: ['client_credentials', 'bearer'],
  scopes: ['read'],
  token_endpoint_auth_method: 'client_secret_basic',
  application_description: '',
  portal_id: '9f1c2c3e-2a59-4e8b-9b5d-3c2e1f0a7b6d',
  organization_id: '0c7d4c1e-5f1a-4a0e-8a9f-6b3d2e1c0f9a',
  developer_id: '5b2e8f7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b',
  auth_strategy_id: '7e6d5c4b-3a29-4187-9f6e-5d4c3b2a1908',
  dcr_provider_id: '2a3b4c5d-6e7f-4081-9a2b-3c4d5e6f7a8b',
};

export interface BenchEvents {
  /** POST / as the deployed API Gateway stage hands it to Lambda. */
  create: APIGatewayProxyEvent;
  /** DELETE /{clientId}; the children fill in the client id. */
  remove: APIGatewayProxyEvent;
  /** The RFC 7591 body the generic adapter sends the IdP for that create: the direct request. */
  directBody: string;
}

export function benchEvents(apiKey: string): BenchEvents {
  const event = (method: string, path: string, body: string, headers: Record<string, string>) => {
    const route = matchRoute(method, path);
    if (!route) throw new Error(`No bridge route for ${method} ${path}`);
    const url = new URL(path, 'https://dcr.example.com');
    return toApiGatewayEvent({ method, url, headers, body, sourceIp: '203.0.113.10' }, route);
  };
  const { grantTypes, responseTypes } = translateGrants(['client_credentials'], []);
  return {
    create: event('POST', '/', JSON.stringify(CREATE_BODY), {
      'X-API-KEY': apiKey,
      'Content-Type': 'application/json',
    }),
    remove: event('DELETE', '/client-id', '', { 'X-API-KEY': apiKey }),
    directBody: JSON.stringify(
      registrationRequest({
        clientName: CREATE_BODY.client_name,
        description: '',
        redirectUris: [],
        grantTypes,
        responseTypes,
        scopes: CREATE_BODY.scopes,
        tokenEndpointAuthMethod: CREATE_BODY.token_endpoint_auth_method,
        konnect: {},
      }),
    ),
  };
}
