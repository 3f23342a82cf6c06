import { redirectUriUpdateRefused } from '../secret-change';

/**
 * Curity issues a new client secret on every RFC 7592 read or update
 * (https://curity.io/resources/learn/dynamic-client-registration-management/), so changing redirect
 * URIs that way always breaks the developer's secret: both management modes refuse, before any call.
 */
export const curityRedirectUriUpdateRefused = (clientId: string) =>
  redirectUriUpdateRefused(
    'curity',
    clientId,
    'Change the redirect URIs of this client in Curity directly, or have the developer create a new application with the new redirect URIs.',
  );
