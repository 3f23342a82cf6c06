import * as z from 'zod/mini';
import { defineAdapter } from '../adapter-factory';
import { REDIRECT_URI_UPDATE_MODES } from '../secret-change';
import { allowedOriginsSetting, optionalSetting, optionalUrlSetting } from '../settings';
import { GenericDcrAdapter } from './generic-adapter';
import { IdpEndpointResolver } from './idp-endpoints';

/** Any standards-based IdP: RFC 7591 registration, RFC 7592 management. */
export const genericAdapter = defineAdapter({
  needsRegistrationStore: true,
  settings: z
    .object({
      IDP_ISSUER: optionalUrlSetting,
      IDP_REGISTRATION_ENDPOINT: optionalUrlSetting,
      IDP_TOKEN_ENDPOINT: optionalUrlSetting,
      IDP_ALLOWED_ORIGINS: allowedOriginsSetting,
      IDP_INITIAL_TOKEN_SCOPE: optionalSetting,
      IDP_SECRET_ROTATION: z._default(z.enum(['none', 'read', 'update']), 'none'),
      // Unset: refuse with IDP_SECRET_ROTATION=read, else apply (see GenericAdapterSettings).
      IDP_REDIRECT_URI_UPDATES: z.pipe(
        optionalSetting,
        z.optional(z.enum(REDIRECT_URI_UPDATE_MODES, 'must be "apply" or "refuse"')),
      ),
    })
    .check(
      z.refine((settings) => settings.IDP_ISSUER || settings.IDP_REGISTRATION_ENDPOINT, {
        message: 'set IDP_ISSUER or IDP_REGISTRATION_ENDPOINT',
        path: ['IDP_ISSUER'],
      }),
    ),
  create(settings, { http, store, credentials }) {
    const endpoints = new IdpEndpointResolver(
      {
        issuer: settings.IDP_ISSUER,
        registrationEndpoint: settings.IDP_REGISTRATION_ENDPOINT,
        tokenEndpoint: settings.IDP_TOKEN_ENDPOINT,
        allowedOrigins: settings.IDP_ALLOWED_ORIGINS,
      },
      http,
      'generic',
    );
    return new GenericDcrAdapter(
      {
        name: 'generic',
        initialTokenScope: settings.IDP_INITIAL_TOKEN_SCOPE,
        secretRotation: settings.IDP_SECRET_ROTATION,
        redirectUriUpdates: settings.IDP_REDIRECT_URI_UPDATES,
      },
      http,
      endpoints,
      store(),
      credentials,
    );
  },
});
