import { idpFailed } from '../../commons/bridge-error';
import type { HttpClient } from '../../commons/http-client';
import type { NewClient, OperationContext } from '../idp-adapter';
import type { IdpCredentials } from '../idp-credentials';
import { idpErrorFromResponse } from '../idp-error';
import { type ClientInformation, clientInformation, registrationRequest } from './client-registration';
import type { IdpEndpointResolver } from './idp-endpoints';
import { initialAccessToken } from './registration-token';

export interface Registrar {
  name: string;
  http: HttpClient;
  endpoints: IdpEndpointResolver;
  credentials: () => Promise<IdpCredentials>;
  /** Scope of a per-registration token obtained by client credentials (Curity: "dcr"). */
  initialTokenScope?: string;
}

/** One RFC 7591 registration: the initial access token, the POST, and a parsed answer. */
export async function registerClient(
  registrar: Registrar,
  client: NewClient,
  context: OperationContext,
): Promise<ClientInformation> {
  const { name, http, endpoints, credentials, initialTokenScope } = registrar;
  const { registrationEndpoint, tokenEndpoint } = await endpoints.resolve(context);
  const token = await initialAccessToken(await credentials(), initialTokenScope, tokenEndpoint, http, name, context);
  const response = await http.call(
    {
      method: 'POST',
      url: registrationEndpoint,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      json: registrationRequest(client),
    },
    context,
  );
  if (response.status !== 201 && response.status !== 200) {
    throw idpErrorFromResponse(name, 'the client registration', response.status, response.body);
  }
  const parsed = clientInformation.safeParse(response.body);
  if (!parsed.success) {
    throw idpFailed(`The identity provider (${name}) answered the registration without a valid client_id.`);
  }
  return parsed.data;
}
