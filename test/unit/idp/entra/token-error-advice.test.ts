import { describe, expect, it } from '@jest/globals';
import { tokenErrorAdvice } from '../../../../functions/idp/entra/token-error-advice';

describe('tokenErrorAdvice', () => {
  it.each([
    ['AADSTS500011: The resource principal named <url> was not found in the tenant', 'IDP_ENTRA_GRAPH_SCOPE'],
    ["AADSTS70011: The provided value for the input parameter 'scope' isn't valid.", 'IDP_ENTRA_GRAPH_SCOPE'],
    ['AADSTS1002012: The provided value for scope x is not valid.', '/.default'],
    ['AADSTS7000215: Invalid client secret provided.', "the bridge's client_secret is wrong"],
    ['AADSTS7000222: The provided client secret keys for app are expired.', 'has expired'],
    ["AADSTS700016: Application with identifier 'x' was not found in the directory", "bridge's client_id"],
    ["AADSTS90002: Tenant 'x' not found.", 'IDP_ENTRA_TENANT_ID'],
    [
      'AADSTS900023: Specified tenant identifier is neither a valid DirectoryId nor a valid ExternalId.',
      'IDP_ENTRA_TENANT_ID',
    ],
  ])('maps %s to the setting it is about', (description, named) => {
    expect(tokenErrorAdvice(`The identity provider (entra) answered 400 (x: ${description})`)).toContain(named);
  });

  it('falls back to the credentials and tenant for other codes, and says nothing without one', () => {
    expect(tokenErrorAdvice('answered 401 (invalid_client: AADSTS7000216: client_secret is required)')).toBe(
      'Entra: check client_id, client_secret and IDP_ENTRA_TENANT_ID.',
    );
    expect(tokenErrorAdvice('answered 503 (temporarily_unavailable)')).toBeUndefined();
  });
});
