import type { UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { BridgeError, clientNotFound, idpFailed } from '../../commons/bridge-error';
import { rememberSecret } from '../../commons/known-secrets';
import { logger } from '../../commons/logger';
import type { OwnershipLedger } from '../../store/ownership-ledger';
import {
  type ApiRegistrationChange,
  compensationOperation,
  type IdpAdapter,
  type IssuedClient,
  type NewClient,
  type OperationContext,
  type RotatedSecret,
} from '../idp-adapter';
import { undoCreate } from '../orphans';
import type { Ownership } from '../ownership';
import { RecordedOwnership } from '../recorded-ownership';
import { AnsweredSecrets } from './cognito-answered-secrets';
import type { CognitoApi } from './cognito-api';
import { createRequestFor, redirectUrisRequired, updateRequestFor, usesCallbacks } from './cognito-client-config';
import { clientNameFor, newCreationId } from './cognito-client-name';
import { asBridgeError, CognitoServiceError, gotNoAnswer, isClientNotFound, mayHaveTakenEffect } from './cognito-error';
import { findLostCreate } from './cognito-lost-create';
import { CognitoSecretRotation } from './cognito-secrets';
import type { CognitoSettings } from './cognito-settings';

/**
 * Amazon Cognito user pool app clients through the Cognito Identity Provider API, with the
 * bridge's Lambda role as the credential. App clients carry no tags or metadata, and the role
 * reaches every client of the pool, so the bridge records each client it creates (the
 * registration store's ownership record, as for Curity dcrm) and touches no other: the record is
 * checked before any Cognito call on a client Konnect names.
 */
export class CognitoAdapter implements IdpAdapter {
  readonly name = 'cognito';
  private readonly rotation: CognitoSecretRotation;
  private readonly records: RecordedOwnership;
  private readonly answered: AnsweredSecrets;

  constructor(
    private readonly settings: CognitoSettings,
    private readonly api: CognitoApi,
    ownership: Ownership,
    ledger: OwnershipLedger,
  ) {
    this.answered = new AnsweredSecrets(ledger);
    this.rotation = new CognitoSecretRotation(api, this.answered);
    this.records = new RecordedOwnership(ledger, ownership, 'in Cognito', (clientId) => this.compensate(clientId));
  }

  async createClient(client: NewClient, context: OperationContext): Promise<IssuedClient> {
    const creationId = newCreationId();
    // Built (and the scopes checked) before any call: a refusal here wrote nothing.
    const { request, notGranted, defaultScopes } = createRequestFor(
      client,
      clientNameFor(client.clientName, creationId),
      this.settings,
    );
    if (notGranted.grants.length > 0 || notGranted.scopes.length > 0) {
      logger.info(
        `Not granted what Konnect asked for: every Cognito app client of this bridge is a ${this.settings.oauthFlow === 'code' ? 'code-flow' : 'client credentials'} client (IDP_COGNITO_OAUTH_FLOW=${this.settings.oauthFlow}); Cognito allows no mix`,
        {
          not_granted_grants: notGranted.grants,
          ...(notGranted.scopes.length > 0 && { not_granted_scopes: notGranted.scopes }),
          konnect_application_id: client.konnect.applicationId,
        },
      );
    }
    let created: UserPoolClientType;
    try {
      created = await this.api.createClient(request, context);
    } catch (error) {
      throw await this.afterFailedCreate(error, creationId, defaultScopes);
    }
    const clientId = created.ClientId as string;
    const secret = created.ClientSecret;
    rememberSecret(secret);
    if (!secret) {
      const removed = await this.compensate(clientId);
      throw idpFailed(
        `The identity provider (cognito) created an app client without a secret. ${removed ? 'The bridge removed it again.' : `The bridge could not remove app client ${clientId}; delete it in Cognito.`}`,
      );
    }
    await this.records.recordCreated(clientId);
    logger.info('Created a Cognito app client', {
      client_id: clientId,
      oauth_flows: request.AllowedOAuthFlows,
      konnect_application_id: client.konnect.applicationId,
    });
    return {
      clientId,
      clientSecret: secret,
      clientIdIssuedAt: created.CreationDate ? Math.floor(created.CreationDate.getTime() / 1000) : undefined,
      clientSecretExpiresAt: 0,
    };
  }

  /** Deletes at Cognito only a client the bridge recorded, then its record (a retry after a lost answer finds it gone). */
  async deleteClient(clientId: string, context: OperationContext): Promise<void> {
    if (!(await this.records.mayDelete(clientId))) return;
    const secretIds = await this.secretIdsOf(clientId, context);
    try {
      await this.api.deleteClient(clientId, context);
    } catch (error) {
      if (!(error instanceof CognitoServiceError && isClientNotFound(error, clientId))) throw this.answer(error);
      logger.info('Cognito has no such app client any more; removing its record', { client_id: clientId });
    }
    for (const secretId of secretIds) await this.answered.tryForget(secretId);
    await this.records.forget(clientId);
  }

  async rotateSecret(clientId: string, context: OperationContext): Promise<RotatedSecret> {
    await this.records.requireOwned(clientId);
    try {
      return await this.rotation.rotate(clientId, context);
    } catch (error) {
      throw this.answer(error, clientId);
    }
  }

  async updateRedirectUris(clientId: string, redirectUris: string[], context: OperationContext): Promise<void> {
    await this.records.requireOwned(clientId);
    // Client credentials clients take no callback URLs: nothing to change, so nothing asked of Cognito.
    if (this.settings.oauthFlow === 'client_credentials') return redirectsNotUsed(clientId, redirectUris);
    let current: UserPoolClientType;
    try {
      current = await this.api.describeClient(clientId, context);
    } catch (error) {
      throw this.answer(error, clientId);
    }
    // Made before IDP_COGNITO_OAUTH_FLOW became code: it stays a client credentials client.
    if (!usesCallbacks(current)) return redirectsNotUsed(clientId, redirectUris);
    if (redirectUris.length === 0) throw redirectUrisRequired();
    try {
      await this.api.updateClient(updateRequestFor(current, redirectUris), context);
    } catch (error) {
      // Everything but the callback URLs is Cognito's own description, sent back.
      throw this.answer(error, clientId, true);
    }
  }

  // Scopes per API registration are not modelled: a client keeps the scopes it was created with.
  async addRegistration(change: ApiRegistrationChange): Promise<void> {
    await this.records.requireOwned(change.clientId);
    logger.info('API registration acknowledged; Cognito scopes are not changed per registration', {
      client_id: change.clientId,
      api_product_version_id: change.apiProductVersionId,
    });
  }

  async removeRegistration(change: ApiRegistrationChange): Promise<void> {
    await this.records.requireOwned(change.clientId);
    logger.info('API registration removal acknowledged; Cognito scopes are not changed per registration', {
      client_id: change.clientId,
      api_product_version_id: change.apiProductVersionId,
    });
  }

  /**
   * A create without an app client in its answer. A refusal or a throttle created nothing; a
   * timeout or a 5xx may have: the client is looked for by the creation id in its name, and
   * removed, or reported when the bridge cannot tell (after no answer at all, also when not found:
   * Cognito may still commit it).
   */
  private async afterFailedCreate(error: unknown, creationId: string, defaultScopes: boolean): Promise<unknown> {
    // The developer's input, except scopes the admin's IDP_COGNITO_DEFAULT_SCOPES supplied.
    const answer = asBridgeError(error, this.api.userPoolId, { developerInput: true, defaultScopes });
    if (!mayHaveTakenEffect(error)) return answer;
    const found = await findLostCreate(this.api, creationId, { noAnswer: gotNoAnswer(error) });
    if (found.outcome === 'absent') return answer;
    if (found.outcome === 'unknown')
      return withNote(
        answer,
        'The bridge could not check whether Cognito created the app client; its log says which name to look for.',
      );
    const removed = await this.compensate(found.clientId);
    return withNote(
      answer,
      removed
        ? 'Cognito had created the app client anyway; the bridge removed it again. Retry.'
        : `Cognito had created app client ${found.clientId} anyway and the bridge could not remove it; delete it in Cognito.`,
    );
  }

  /** The client's secret ids, to forget their notes with it; none when Cognito cannot list them. */
  private async secretIdsOf(clientId: string, context: OperationContext): Promise<string[]> {
    try {
      const listed = (await this.api.listSecrets(clientId, context))?.ClientSecrets ?? [];
      return listed.flatMap((secret) => (secret.ClientSecretId ? [secret.ClientSecretId] : []));
    } catch {
      // A leftover note names a secret that no longer exists: harmless.
      return [];
    }
  }

  /** Undoes a create the bridge cannot hand to Konnect; leaves an error log and a metric if that fails. */
  private compensate(clientId: string): Promise<boolean> {
    return undoCreate('cognito', clientId, 'Cognito', async () => {
      try {
        await this.api.deleteClient(clientId, compensationOperation());
      } catch (error) {
        if (!(error instanceof CognitoServiceError && isClientNotFound(error, clientId))) throw error;
      }
    });
  }

  /** The answer for a failed call on an existing client: a vanished client is an unknown one. */
  private answer(error: unknown, clientId?: string, developerInput = false): unknown {
    if (clientId && error instanceof CognitoServiceError && isClientNotFound(error, clientId))
      return clientNotFound(clientId);
    return asBridgeError(error, this.api.userPoolId, { developerInput });
  }
}

function redirectsNotUsed(clientId: string, redirectUris: string[]): void {
  logger.info(
    'Redirect URIs not applied: the Cognito app client is a client credentials client, which has no callback URLs (IDP_COGNITO_OAUTH_FLOW)',
    { client_id: clientId, redirect_uri_count: redirectUris.length },
  );
}

function withNote(error: unknown, note: string): unknown {
  if (!(error instanceof BridgeError)) return error;
  return new BridgeError(error.statusCode, error.error, `${error.description} ${note}`, { cause: error });
}
