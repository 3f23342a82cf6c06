import { BridgeError, idpFailed } from '../../commons/bridge-error';
import { type HttpClient, type HttpResponse, mayHaveReachedIdp } from '../../commons/http-client';
import type { NewClient, OperationContext } from '../idp-adapter';
import type { IdpCredentials } from '../idp-credentials';
import { idpErrorFromResponse } from '../idp-error';
import { type ClientInformation, clientInformation, registrationRequest } from './client-registration';
import type { IdpEndpointResolver } from './idp-endpoints';
import { mayHaveRegistered, reportLostRegistration } from './lost-registration';
import { initialAccessToken } from './registration-token';

export interface Registrar {
  name: string;
  http: HttpClient;
  endpoints: IdpEndpointResolver;
  credentials: () => Promise<IdpCredentials>;
  /** Scope of a per-registration token obtained by client credentials (Curity: "dcr"). */
  initialTokenScope?: string;
  /** Metadata sent with every registration besides the client's own (Curity: the bridge's mark). */
  metadata?: Record<string, unknown>;
}

/**
 * One RFC 7591 registration: the initial access token, the POST (never repeated, except after a
 * 429), and a parsed answer. When the POST may have created a client the bridge cannot name (no
 * answer, a cut or unreadable one, any 5xx), that possible orphan is reported before the error is thrown.
 */
export async function registerClient(
  registrar: Registrar,
  client: NewClient,
  context: OperationContext,
): Promise<ClientInformation> {
  const { name, http, endpoints, credentials, initialTokenScope } = registrar;
  const { registrationEndpoint, tokenEndpoint } = await endpoints.resolve(context);
  const token = await initialAccessToken(await credentials(), initialTokenScope, tokenEndpoint, http, name, context);
  const lost = (error: BridgeError) => reportLostRegistration(name, client.clientName, error);
  let response: HttpResponse;
  try {
    response = await http.call(
      {
        method: 'POST',
        url: registrationEndpoint,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        json: { ...registrationRequest(client), ...registrar.metadata },
      },
      context,
    );
  } catch (error) {
    if (error instanceof BridgeError && mayHaveReachedIdp(error)) throw lost(error);
    throw error;
  }
  if (response.status !== 201 && response.status !== 200) {
    const error = idpErrorFromResponse(name, 'the client registration', response.status, response.body, {
      developerInput: true,
    });
    throw mayHaveRegistered(response.status) ? lost(error) : error;
  }
  const parsed = clientInformation.safeParse(response.body);
  if (!parsed.success) {
    // A success status says a client exists; without a readable client_id it cannot be named.
    throw lost(idpFailed(`The identity provider (${name}) answered the registration without a valid client_id.`));
  }
  return parsed.data;
}
