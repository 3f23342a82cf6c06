import * as z from 'zod/mini';
import { BridgeError, idpFailed } from '../../commons/bridge-error';
import type { HttpResponse } from '../../commons/http-client';
import { logger } from '../../commons/logger';
import type { OperationContext } from '../idp-adapter';
import { creationTag, passwordCredentialBody, redirectUrisByPlatform } from './application-body';
import { byAppId, type GraphClient, isTokenFailure } from './graph-client';
import { graphFailure, isReplicationLag } from './graph-error';
import { type AddedPassword, addedPassword, type GraphApplication, graphApplication } from './graph-schemas';
import { DEFAULT_BACKOFF, type ReplicationBackoff, retryWhileReplicating } from './replication-retry';

const SELECT = '$select=id,appId,tags,passwordCredentials,createdDateTime';
const applicationList = z.object({ value: z.array(graphApplication) });
const enc = encodeURIComponent;

export type CreateOutcome = { app: GraphApplication } | { error: unknown; maybeCreated: boolean };

export interface ApplicationBackoffs {
  /** Steps right after the create, which must see the new application: wait for replication. */
  create: ReplicationBackoff;
  /** Reads of an application Konnect names: a short wait, as a 404 usually means "gone". */
  lookup: ReplicationBackoff;
}

export const DEFAULT_BACKOFFS: ApplicationBackoffs = {
  create: DEFAULT_BACKOFF,
  lookup: { initialDelayMs: 250, maxDelayMs: 1000, maxAttempts: 3 },
};

/** The Graph calls on applications, service principals and their passwords, one method each. */
export class EntraApplications {
  constructor(
    private readonly graph: GraphClient,
    private readonly backoffs: ApplicationBackoffs = DEFAULT_BACKOFFS,
  ) {}

  /**
   * Creates the application. A failure says whether the application may exist anyway: no answer
   * (timeout, dropped connection), a 5xx, or an unreadable 201 do not prove that nothing was created.
   */
  async create(body: Record<string, unknown>, context: OperationContext): Promise<CreateOutcome> {
    const operation = 'creating the application';
    let response: HttpResponse;
    try {
      response = await this.graph.call({ method: 'POST', path: '/applications', json: body }, context);
    } catch (error) {
      // Without a token nothing was sent; a rate limit refuses before doing anything; anything
      // else (timeout, dropped connection) left no answer to go by.
      const refusedBeforehand = isTokenFailure(error) || (error instanceof BridgeError && error.statusCode === 503);
      return { error, maybeCreated: !refusedBeforehand };
    }
    if (response.status !== 201) {
      return {
        error: graphFailure(operation, response, { developerInput: true }),
        maybeCreated: response.status >= 500,
      };
    }
    const app = graphApplication.safeParse(response.body);
    if (app.success) return { app: app.data };
    return { error: unexpectedBody(operation), maybeCreated: true };
  }

  /** The application with this appId, or undefined when Graph does not know it. */
  async find(appId: string, context: OperationContext): Promise<GraphApplication | undefined> {
    const response = await retryWhileReplicating(
      () => this.graph.call({ method: 'GET', path: `/applications${byAppId(appId)}?${SELECT}` }, context),
      (answer) => answer.status === 404,
      context,
      this.backoffs.lookup,
    );
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw graphFailure(`reading application ${appId}`, response);
    return parsed(graphApplication, response, `reading application ${appId}`);
  }

  /** Applications carrying one create's tag: how a create whose answer was lost is found again. */
  async findCreated(creationId: string, context: OperationContext): Promise<GraphApplication[]> {
    const filter = enc(`tags/any(t:t eq '${creationTag(creationId)}')`);
    const response = await retryWhileReplicating(
      () => this.graph.call({ method: 'GET', path: `/applications?$filter=${filter}&${SELECT}` }, context),
      (answer) => answer.status === 200 && applicationList.safeParse(answer.body).data?.value.length === 0,
      context,
      this.backoffs.lookup,
    );
    if (response.status !== 200) throw graphFailure('looking up the application just created', response);
    return parsed(applicationList, response, 'looking up the application just created').value;
  }

  async addPassword(app: GraphApplication, lifetimeDays: number, context: OperationContext): Promise<AddedPassword> {
    const operation = `adding a client secret to application ${app.appId}`;
    const response = await this.whileReplicating(
      () =>
        this.graph.call(
          {
            method: 'POST',
            path: `/applications/${enc(app.id)}/addPassword`,
            json: passwordCredentialBody(lifetimeDays),
          },
          context,
        ),
      app.appId,
      'addPassword',
      context,
    );
    if (response.status !== 200 && response.status !== 201) throw stepFailure(operation, response);
    return parsed(addedPassword, response, operation);
  }

  /** Idempotent: a password that is already gone counts as removed. */
  async removePassword(app: GraphApplication, keyId: string, context: OperationContext): Promise<void> {
    const response = await this.graph.call(
      { method: 'POST', path: `/applications/${enc(app.id)}/removePassword`, json: { keyId } },
      context,
    );
    if (![200, 204, 404].includes(response.status)) {
      throw graphFailure(`removing a previous client secret of application ${app.appId}`, response);
    }
  }

  /** Client credentials tokens need a service principal in the tenant; one that exists already will do. */
  async createServicePrincipal(app: GraphApplication, context: OperationContext): Promise<void> {
    const response = await this.whileReplicating(
      () => this.graph.call({ method: 'POST', path: '/servicePrincipals', json: { appId: app.appId } }, context),
      app.appId,
      'servicePrincipal',
      context,
    );
    if (response.status !== 201 && response.status !== 200 && response.status !== 409) {
      throw stepFailure(`creating the service principal of application ${app.appId}`, response);
    }
  }

  /** Both platforms are replaced, so a redirect URI moved from one to the other leaves no copy behind. */
  async updateRedirectUris(app: GraphApplication, redirectUris: string[], context: OperationContext): Promise<void> {
    const { web, publicClient } = redirectUrisByPlatform(redirectUris);
    const response = await this.graph.call(
      {
        method: 'PATCH',
        path: `/applications/${enc(app.id)}`,
        json: { web: { redirectUris: web }, publicClient: { redirectUris: publicClient } },
      },
      context,
    );
    if (response.status !== 204 && response.status !== 200) {
      throw graphFailure(`updating the redirect URIs of application ${app.appId}`, response, { developerInput: true });
    }
  }

  /**
   * Removes the service principal (if any), then the application: its secrets die with it. Deleted
   * applications stay restorable for 30 days unless `permanently`. Already gone counts as done.
   */
  async delete(app: GraphApplication, permanently: boolean, context: OperationContext): Promise<void> {
    const principal = await this.graph.call(
      { method: 'DELETE', path: `/servicePrincipals${byAppId(app.appId)}` },
      context,
    );
    if (![204, 404].includes(principal.status)) {
      // The secrets live on the application; removing it below is what ends the client.
      logger.warn('Service principal not deleted; deleting the application anyway', {
        client_id: app.appId,
        status: principal.status,
      });
    }
    const deleted = await this.graph.call({ method: 'DELETE', path: `/applications/${enc(app.id)}` }, context);
    if (![204, 404].includes(deleted.status)) throw graphFailure(`deleting application ${app.appId}`, deleted);
    if (!permanently) return;
    const purged = await this.graph.call({ method: 'DELETE', path: `/directory/deletedItems/${enc(app.id)}` }, context);
    if (![204, 404].includes(purged.status)) {
      logger.warn('Deleted application not purged from deleted items; it expires there after 30 days', {
        client_id: app.appId,
        status: purged.status,
      });
    }
  }

  private whileReplicating(
    call: () => Promise<HttpResponse>,
    appId: string,
    step: string,
    context: OperationContext,
  ): Promise<HttpResponse> {
    return retryWhileReplicating(call, isReplicationLag, context, this.backoffs.create, (attempt) =>
      logger.info('Entra directory replication has not caught up yet; retrying', { client_id: appId, step, attempt }),
    );
  }
}

/** A step that still saw no application when the deadline came is a timeout, not a Graph failure. */
function stepFailure(operation: string, response: HttpResponse): BridgeError {
  const failure = graphFailure(operation, response);
  if (!isReplicationLag(response)) return failure;
  return new BridgeError(
    504,
    'idp_timeout',
    `${failure.description.replace(/\.$/, '')}: the application had not replicated across Entra within the bridge's deadline; retry.`,
  );
}

function parsed<T>(schema: z.ZodMiniType<T>, response: HttpResponse, operation: string): T {
  const result = schema.safeParse(response.body);
  if (!result.success) throw unexpectedBody(operation);
  return result.data;
}

const unexpectedBody = (operation: string) =>
  idpFailed(`Microsoft Graph answered ${operation} with an unexpected body.`);
