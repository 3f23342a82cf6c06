import http from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { HttpClient } from '../../../../functions/commons/http-client';
import { GenericDcrAdapter, type SecretRotationMode } from '../../../../functions/idp/generic/generic-adapter';
import { type EndpointSettings, IdpEndpointResolver } from '../../../../functions/idp/generic/idp-endpoints';
import { type NewClient, type OperationContext, operationWithin } from '../../../../functions/idp/idp-adapter';
import type { IdpCredentials } from '../../../../functions/idp/idp-credentials';
import type { RedirectUriUpdates } from '../../../../functions/idp/secret-change';
import { MemoryRegistrationStore } from '../../../../functions/store/memory-registration-store';
import {
  RegistrationConflictError,
  type RegistrationRecord,
  type RegistrationStore,
} from '../../../../functions/store/registration-store';
import { captureOutputPerTest } from '../../../support/captured-output';
import { bridgeErrorOf } from '../../support/bridge-error-of';
import { FakeDcrServer } from '../../support/fake-dcr-server';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../../support/loopback-server';

const IAT = 'initial-access-token-123';

/** A store that fails on demand; otherwise an in-memory one. Counts calls per method. */
class FlakyStore implements RegistrationStore {
  readonly inner = new MemoryRegistrationStore();
  readonly fail = new Set<'get' | 'create' | 'replace' | 'delete'>();
  readonly calls: string[] = [];

  private check(method: 'get' | 'create' | 'replace' | 'delete', clientId: string): void {
    this.calls.push(`${method} ${clientId}`);
    if (!this.fail.has(method)) return;
    if (method === 'replace') throw new RegistrationConflictError(clientId);
    throw new Error(`store down (table registrations, token rat-in-message)`);
  }

  async get(clientId: string) {
    this.check('get', clientId);
    return this.inner.get(clientId);
  }

  async create(record: Omit<RegistrationRecord, 'version'>) {
    this.check('create', record.clientId);
    return this.inner.create(record);
  }

  async replaceAccessToken(
    clientId: string,
    expectedVersion: number,
    next: Pick<RegistrationRecord, 'registrationAccessToken' | 'registrationClientUri'>,
  ) {
    this.check('replace', clientId);
    return this.inner.replaceAccessToken(clientId, expectedVersion, next);
  }

  async delete(clientId: string) {
    this.check('delete', clientId);
    return this.inner.delete(clientId);
  }
}

const newClient = (extra: Partial<NewClient> = {}): NewClient => ({
  clientName: 'Weather app',
  description: 'Shows the weather',
  redirectUris: [],
  grantTypes: ['client_credentials'],
  responseTypes: [],
  scopes: ['read', 'write'],
  tokenEndpointAuthMethod: 'client_secret_basic',
  konnect: { portalId: 'f32d905a-ed33-46a3-a093-d8f536af9a8a' },
  ...extra,
});

const context = (): OperationContext => operationWithin(5000);

describe('GenericDcrAdapter', () => {
  const output = captureOutputPerTest();
  let idp: FakeDcrServer;

  beforeAll(async () => {
    idp = await FakeDcrServer.start();
  });
  afterAll(async () => {
    await idp.close();
  });
  beforeEach(() => {
    idp.reset();
  });

  interface Options {
    rotation?: SecretRotationMode;
    redirectUriUpdates?: RedirectUriUpdates;
    initialTokenScope?: string;
    credentials?: IdpCredentials;
    endpoints?: EndpointSettings;
  }

  function setup(options: Options = {}) {
    const http = new HttpClient({ idpName: 'generic', callTimeoutMs: 3000 });
    const endpoints = new IdpEndpointResolver(
      options.endpoints ?? { registrationEndpoint: idp.registrationEndpoint, tokenEndpoint: idp.tokenEndpoint },
      http,
      'generic',
    );
    const store = new FlakyStore();
    let credentialReads = 0;
    const adapter = new GenericDcrAdapter(
      {
        name: 'generic',
        initialTokenScope: options.initialTokenScope,
        secretRotation: options.rotation ?? 'update',
        redirectUriUpdates: options.redirectUriUpdates,
      },
      http,
      endpoints,
      store,
      async () => {
        credentialReads += 1;
        return options.credentials ?? { initialAccessToken: IAT };
      },
    );
    return { adapter, store, credentialReads: () => credentialReads };
  }

  /** Registers a client through the adapter; the fake's request log starts empty afterwards. */
  async function registered(options: Options = {}) {
    const parts = setup(options);
    const issued = await parts.adapter.createClient(newClient(), context());
    idp.requests.length = 0;
    const record = await parts.store.inner.get(issued.clientId);
    if (!record) throw new Error('the client was not stored');
    return { ...parts, issued, record };
  }

  describe('createClient', () => {
    it('registers with the translated metadata and the initial access token', async () => {
      idp.behaviour.acceptedInitialTokens.add(IAT);
      const { adapter } = setup();

      const issued = await adapter.createClient(newClient(), context());

      expect(idp.calls).toEqual(['POST /register']);
      const [request] = idp.requests;
      expect(request?.headers.authorization).toBe(`Bearer ${IAT}`);
      expect(request?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request?.body ?? '')).toEqual({
        client_name: 'Weather app',
        grant_types: ['client_credentials'],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'read write',
      });
      const atIdp = idp.clients.get(issued.clientId);
      expect(issued).toEqual({
        clientId: expect.stringMatching(/^client-/),
        clientSecret: atIdp?.secret,
        clientIdIssuedAt: 1_700_000_000,
        clientSecretExpiresAt: 0,
      });
    });

    it('sends redirect_uris and response types when there are some, and no scope when there is none', async () => {
      const { adapter } = setup();

      await adapter.createClient(
        newClient({
          redirectUris: ['https://app.example.com/cb'],
          grantTypes: ['client_credentials', 'authorization_code'],
          responseTypes: ['code'],
          scopes: [],
          tokenEndpointAuthMethod: 'client_secret_post',
        }),
        context(),
      );

      const body = JSON.parse(idp.requests[0]?.body ?? '') as Record<string, unknown>;
      expect(body).toEqual({
        client_name: 'Weather app',
        grant_types: ['client_credentials', 'authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: ['https://app.example.com/cb'],
      });
      expect(body).not.toHaveProperty('scope');
    });

    it("registers as a native application when every redirect URI is a native app's", async () => {
      const { adapter } = setup();
      const uris = ['com.example.app:/callback', 'http://127.0.0.1:8080/cb'];

      const issued = await adapter.createClient(
        newClient({ redirectUris: uris, grantTypes: ['authorization_code'], responseTypes: ['code'] }),
        context(),
      );

      expect(JSON.parse(idp.requests[0]?.body ?? '')).toMatchObject({
        redirect_uris: uris,
        application_type: 'native',
      });
      expect(idp.clients.has(issued.clientId)).toBe(true);
    });

    it('accepts a registration answered 200 whose response_types the IdP changed', async () => {
      idp.behaviour.registerStatus = 200;
      idp.behaviour.emptyResponseTypesBecomeCode = true;
      const { adapter } = setup();

      const issued = await adapter.createClient(newClient(), context());

      expect(issued.clientSecret).toBe(idp.clients.get(issued.clientId)?.secret);
      expect(idp.clients.get(issued.clientId)?.metadata.response_types).toEqual(['code']);
    });

    it.each([500, 503])(
      'reports a possible orphan when the registration is answered %i, after exactly one POST',
      async (status) => {
        idp.answerOnceAfterHandling('POST', /^\/register$/, status, { error: 'server_error' });
        const { adapter, store } = setup();

        const error = await bridgeErrorOf(adapter.createClient(newClient(), context()));

        expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
        expect(error.description).toContain(String(status));
        expect(error.description).toContain('may have created the client anyway');
        expect(idp.calls).toEqual(['POST /register']);
        expect(idp.clients.size).toBe(1);
        expect(store.calls).toEqual([]);
        expect(output.lines()).toContainEqual(
          expect.objectContaining({
            level: 'ERROR',
            client_name: 'Weather app',
            message: expect.stringContaining('Orphaned client possible'),
          }),
        );
      },
    );

    it('sends no authorization header for open registration', async () => {
      const { adapter } = setup({ credentials: {} });

      await adapter.createClient(newClient(), context());

      expect(idp.requests[0]?.headers.authorization).toBeUndefined();
    });

    it('stores the registration access token and client URI for later management', async () => {
      const { adapter, store } = setup();

      const issued = await adapter.createClient(newClient(), context());

      const atIdp = idp.clients.get(issued.clientId);
      await expect(store.inner.get(issued.clientId)).resolves.toEqual({
        clientId: issued.clientId,
        registrationAccessToken: atIdp?.rat,
        registrationClientUri: `${idp.registrationEndpoint}/${issued.clientId}`,
        version: 1,
      });
    });

    it('answers 502 and deletes the client again when the IdP issued no client_secret', async () => {
      idp.behaviour.omitOnRegister.add('client_secret');
      const { adapter, store } = setup();

      const error = await bridgeErrorOf(adapter.createClient(newClient(), context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('no client_secret');
      expect(idp.calls).toEqual(['POST /register', expect.stringMatching(/^DELETE \/register\/client-/)]);
      expect(idp.requests[1]?.headers.authorization).toMatch(/^Bearer rat-/);
      expect(idp.clients.size).toBe(0);
      expect(store.calls.filter((call) => call.startsWith('create'))).toEqual([]);
    });

    it('answers 503, deletes the client again and leaves none behind when the store fails', async () => {
      const { adapter, store } = setup();
      store.fail.add('create');

      const error = await bridgeErrorOf(adapter.createClient(newClient(), context()));

      expect(error).toMatchObject({ statusCode: 503, error: 'service_unavailable' });
      expect(error.description).toContain('removed it again');
      expect(error.description).not.toContain('rat-in-message');
      expect(idp.calls).toEqual(['POST /register', expect.stringMatching(/^DELETE \/register\/client-/)]);
      expect(idp.clients.size).toBe(0);
      expect(output.text()).toContain('Removed a half-created client');
    });

    it('still answers with the original error and logs an orphan when the compensating delete fails', async () => {
      const { adapter, store } = setup();
      store.fail.add('create');
      idp.answerOnce('DELETE', /^\/register\//, 500, { error: 'server_error' });

      const error = await bridgeErrorOf(adapter.createClient(newClient(), context()));

      expect(error).toMatchObject({ statusCode: 503, error: 'service_unavailable' });
      expect(idp.clients.size).toBe(1);
      expect(output.text()).toContain('Orphaned client at the IdP');
    });

    it.each([
      ['registration_access_token', 'registration_access_token'],
      ['registration_client_uri', 'registration_client_uri'],
    ] as const)('answers 502 naming the client when %s is missing', async (_label, field) => {
      idp.behaviour.omitOnRegister.add(field);
      const { adapter, store } = setup();

      const error = await bridgeErrorOf(adapter.createClient(newClient(), context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      const [clientId] = [...idp.clients.keys()];
      expect(error.description).toContain(String(clientId));
      expect(error.description).toContain('remove it at the IdP');
      // Without both parts the bridge has no way to delete it; it must not pretend it did.
      expect(idp.calls).toEqual(['POST /register']);
      expect(store.calls).toEqual([]);
    });

    it('answers 502 for a registration answer without client_id', async () => {
      idp.behaviour.omitOnRegister.add('client_id');
      const { adapter } = setup();

      const error = await bridgeErrorOf(adapter.createClient(newClient(), context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('client_id');
    });

    it('passes an IdP invalid_redirect_uri on as 400', async () => {
      idp.answerOnce('POST', /^\/register$/, 400, {
        error: 'invalid_redirect_uri',
        error_description: 'redirect_uris must be https',
      });
      const { adapter } = setup();

      const error = await bridgeErrorOf(adapter.createClient(newClient(), context()));

      expect(error.statusCode).toBe(400);
      expect(error.error).toBe('invalid_redirect_uri');
      expect(error.description).toContain('redirect_uris must be https');
    });

    it('answers 502 naming the credentials when the IdP refuses the initial access token', async () => {
      idp.behaviour.acceptedInitialTokens.add('another-token');
      const { adapter } = setup();

      const error = await bridgeErrorOf(adapter.createClient(newClient(), context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('credentials');
      expect(error.description).not.toContain(IAT);
    });

    it('never puts the issued secret or the tokens into logs', async () => {
      idp.behaviour.omitOnRegister.add('client_secret');
      const { adapter } = setup();
      await bridgeErrorOf(adapter.createClient(newClient(), context()));
      idp.behaviour.omitOnRegister.clear();
      const ok = await setup().adapter.createClient(newClient(), context());

      const logs = output.text();
      expect(logs).not.toContain(ok.clientSecret);
      expect(logs).not.toContain(IAT);
      expect(logs).not.toMatch(/rat-\d+-/);
    });
  });

  describe('deleteClient', () => {
    it('resolves without any HTTP call for a client the bridge does not know', async () => {
      const { adapter } = setup();

      await expect(adapter.deleteClient('client-unknown', context())).resolves.toBeUndefined();

      expect(idp.calls).toEqual([]);
    });

    it('deletes at the IdP with the stored token and forgets the record', async () => {
      const { adapter, store, issued, record } = await registered();

      await adapter.deleteClient(issued.clientId, context());

      expect(idp.calls).toEqual([`DELETE /register/${issued.clientId}`]);
      expect(idp.requests[0]?.headers.authorization).toBe(`Bearer ${record.registrationAccessToken}`);
      expect(idp.clients.has(issued.clientId)).toBe(false);
      await expect(store.inner.get(issued.clientId)).resolves.toBeUndefined();
    });

    it('answers 502 and keeps the record when the IdP answers 401: a dead token is no proof the client is gone', async () => {
      const { adapter, store, issued } = await registered();
      // The registration access token expired or was revoked; the client lives on.
      const client = idp.clients.get(issued.clientId);
      if (client) client.rat = 'revoked-elsewhere';

      const error = await bridgeErrorOf(adapter.deleteClient(issued.clientId, context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('401');
      expect(error.description).toContain(`Delete client ${issued.clientId} at the IdP by hand`);
      expect(error.description).toContain('REGISTRATION_TABLE_NAME');
      expect(idp.clients.has(issued.clientId)).toBe(true);
      await expect(store.inner.get(issued.clientId)).resolves.toBeDefined();
      expect(output.lines()).toContainEqual(
        expect.objectContaining({
          level: 'ERROR',
          client_id: issued.clientId,
          message: expect.stringContaining('401'),
        }),
      );
    });

    it.each([404, 410])('resolves and forgets the record when the IdP answers %i', async (status) => {
      const { adapter, store, issued } = await registered();
      idp.answerOnce('DELETE', /^\/register\//, status, { error: 'not_found' });

      await adapter.deleteClient(issued.clientId, context());

      await expect(store.inner.get(issued.clientId)).resolves.toBeUndefined();
    });

    it('is idempotent: a second delete resolves without an HTTP call', async () => {
      const { adapter, issued } = await registered();

      await adapter.deleteClient(issued.clientId, context());
      await adapter.deleteClient(issued.clientId, context());

      expect(idp.calls).toEqual([`DELETE /register/${issued.clientId}`]);
    });

    it('answers 502 and keeps the record when the IdP fails', async () => {
      const { adapter, store, issued } = await registered();
      idp.answerOnce('DELETE', /^\/register\//, 500, { error: 'server_error' });

      const error = await bridgeErrorOf(adapter.deleteClient(issued.clientId, context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('500');
      await expect(store.inner.get(issued.clientId)).resolves.toBeDefined();
    });

    it('answers 503 when the record cannot be removed, and a retry then finishes the job', async () => {
      const { adapter, store, issued } = await registered();
      store.fail.add('delete');

      const error = await bridgeErrorOf(adapter.deleteClient(issued.clientId, context()));
      expect(error).toMatchObject({ statusCode: 503, error: 'service_unavailable' });
      expect(idp.clients.has(issued.clientId)).toBe(false);

      // Konnect retries: the bridge knows it deleted the client at the IdP, and only removes the record.
      store.fail.clear();
      await expect(adapter.deleteClient(issued.clientId, context())).resolves.toBeUndefined();
      await expect(store.inner.get(issued.clientId)).resolves.toBeUndefined();
      expect(idp.calls).toEqual([`DELETE /register/${issued.clientId}`]);
    });

    it('answers 503 without any HTTP call when the store cannot be read', async () => {
      const { adapter, store, issued } = await registered();
      store.fail.add('get');

      const error = await bridgeErrorOf(adapter.deleteClient(issued.clientId, context()));

      expect(error).toMatchObject({ statusCode: 503, error: 'service_unavailable' });
      expect(error.description).not.toContain('rat-in-message');
      expect(idp.calls).toEqual([]);
    });
  });

  describe('rotateSecret', () => {
    it('refuses in "none" mode with a hint at "Disable refresh secret", without any HTTP call', async () => {
      const { adapter, issued } = await registered({ rotation: 'none' });

      const error = await bridgeErrorOf(adapter.rotateSecret(issued.clientId, context()));

      expect(error).toMatchObject({ statusCode: 400, error: 'invalid_request' });
      expect(error.description).toContain('Disable refresh secret');
      expect(idp.calls).toEqual([]);
    });

    it('in "update" mode reads, then updates without client_secret, and returns the new secret', async () => {
      const { adapter, issued, record } = await registered({ rotation: 'update' });

      const rotated = await adapter.rotateSecret(issued.clientId, context());

      expect(idp.calls).toEqual([`GET /register/${issued.clientId}`, `PUT /register/${issued.clientId}`]);
      expect(rotated.clientId).toBe(issued.clientId);
      expect(rotated.clientSecret).not.toBe(issued.clientSecret);
      expect(rotated.clientSecret).toBe(idp.clients.get(issued.clientId)?.secret);
      expect(rotated.clientSecretExpiresAt).toBe(0);
      const put = idp.requests[1];
      expect(put?.headers.authorization).toBe(`Bearer ${record.registrationAccessToken}`);
      const body = JSON.parse(put?.body ?? '') as Record<string, unknown>;
      expect(body).toMatchObject({ client_id: issued.clientId, client_name: 'Weather app', scope: 'read write' });
      for (const field of [
        'client_secret',
        'registration_access_token',
        'registration_client_uri',
        'client_id_issued_at',
        'client_secret_expires_at',
      ]) {
        expect(body).not.toHaveProperty(field);
      }
    });

    it('in "update" mode answers 502 when the IdP kept the old secret', async () => {
      idp.behaviour.secretOnUpdate = 'keep';
      const { adapter, issued } = await registered({ rotation: 'update' });

      const error = await bridgeErrorOf(adapter.rotateSecret(issued.clientId, context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('kept the old secret');
      expect(error.description).not.toContain(issued.clientSecret);
    });

    it('in "read" mode reads twice and returns the secret the second read issued (Curity)', async () => {
      idp.behaviour.renewSecretOnRead = true;
      const { adapter, issued } = await registered({ rotation: 'read' });

      const rotated = await adapter.rotateSecret(issued.clientId, context());

      expect(idp.calls).toEqual([`GET /register/${issued.clientId}`, `GET /register/${issued.clientId}`]);
      expect(rotated.clientSecret).not.toBe(issued.clientSecret);
      expect(rotated.clientSecret).toBe(idp.clients.get(issued.clientId)?.secret);
    });

    it('in "read" mode answers 502 naming the settings to use when two reads show the same secret', async () => {
      // A real server answers the same secret on every read: "read" rotation would rotate nothing.
      const { adapter, issued } = await registered({ rotation: 'read' });

      const error = await bridgeErrorOf(adapter.rotateSecret(issued.clientId, context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('same client secret on two reads');
      expect(error.description).toContain('IDP_SECRET_ROTATION to "update"');
      expect(error.description).toContain('"none"');
      expect(error.description).not.toContain(issued.clientSecret);
      expect(idp.clients.get(issued.clientId)?.secret).toBe(issued.clientSecret);
    });

    it('in "update" mode sends RFC 7591 single values back when the read returned arrays', async () => {
      idp.behaviour.arrayValuedMetadata = true;
      const { adapter, issued } = await registered({ rotation: 'update' });

      const rotated = await adapter.rotateSecret(issued.clientId, context());

      expect(rotated.clientSecret).toBe(idp.clients.get(issued.clientId)?.secret);
      const body = JSON.parse(idp.requests[1]?.body ?? '') as Record<string, unknown>;
      expect(body).toMatchObject({
        client_name: 'Weather app',
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'read write',
        grant_types: ['client_credentials'],
      });
    });

    it('answers 502, not 400, when the IdP refuses the metadata of a rotation (the bridge built it)', async () => {
      const { adapter, issued } = await registered({ rotation: 'update' });
      idp.answerOnce('PUT', /^\/register\//, 400, {
        error: 'invalid_client_metadata',
        error_description: 'token_endpoint_auth_method must be a string',
      });

      const error = await bridgeErrorOf(adapter.rotateSecret(issued.clientId, context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('400 (invalid_client_metadata: token_endpoint_auth_method must be a string)');
      expect(error.description).toContain("not the developer's input");
    });

    it('answers 404 client_not_found without any HTTP call for an unknown client', async () => {
      const { adapter } = setup();

      const error = await bridgeErrorOf(adapter.rotateSecret('client-unknown', context()));

      expect(error).toMatchObject({ statusCode: 404, error: 'client_not_found' });
      expect(error.description).toContain('client-unknown');
      expect(idp.calls).toEqual([]);
    });

    it.each([404, 410])('answers 404 client_not_found when the IdP answers %i to the read', async (status) => {
      const { adapter, issued } = await registered();
      idp.answerOnce('GET', /^\/register\//, status, { error: 'not_found' });

      const error = await bridgeErrorOf(adapter.rotateSecret(issued.clientId, context()));

      expect(error).toMatchObject({ statusCode: 404, error: 'client_not_found' });
      expect(idp.calls).toEqual([`GET /register/${issued.clientId}`]);
    });

    it('answers 502 mentioning credentials when the IdP refuses the registration access token', async () => {
      const { adapter, issued } = await registered();
      const client = idp.clients.get(issued.clientId);
      if (client) client.rat = 'rotated-elsewhere';

      const error = await bridgeErrorOf(adapter.rotateSecret(issued.clientId, context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('credentials');
    });

    it('answers 502 when the read returns another client', async () => {
      const { adapter, issued } = await registered();
      idp.answerOnce('GET', /^\/register\//, 200, { client_id: 'someone-else', client_secret: 'x' });

      const error = await bridgeErrorOf(adapter.rotateSecret(issued.clientId, context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('unexpected body');
    });

    it('answers 502 when the update returns no secret', async () => {
      const { adapter, issued } = await registered();
      idp.answerOnce('PUT', /^\/register\//, 200, { client_id: issued.clientId });

      const error = await bridgeErrorOf(adapter.rotateSecret(issued.clientId, context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('no client_secret');
    });
  });

  describe('registration access token rotation (Keycloak-style)', () => {
    it('stores the RAT each read returned before the next call', async () => {
      idp.behaviour.rotateRatOn.add('GET');
      idp.behaviour.renewSecretOnRead = true;
      const { adapter, store, issued, record } = await registered({ rotation: 'read' });

      await adapter.rotateSecret(issued.clientId, context());

      const [first, second] = idp.requests;
      expect(second?.headers.authorization).not.toBe(first?.headers.authorization);
      const stored = await store.inner.get(issued.clientId);
      expect(stored?.registrationAccessToken).toBe(idp.clients.get(issued.clientId)?.rat);
      expect(stored?.registrationAccessToken).not.toBe(record.registrationAccessToken);
      expect(stored?.version).toBe(3);
    });

    it('uses the RAT from the read for the update, and stores the one from the update', async () => {
      idp.behaviour.rotateRatOn.add('GET');
      idp.behaviour.rotateRatOn.add('PUT');
      const { adapter, store, issued, record } = await registered({ rotation: 'update' });

      const rotated = await adapter.rotateSecret(issued.clientId, context());

      const [get, put] = idp.requests;
      expect(get?.headers.authorization).toBe(`Bearer ${record.registrationAccessToken}`);
      expect(put?.headers.authorization).not.toBe(get?.headers.authorization);
      expect(rotated.clientSecret).toBe(idp.clients.get(issued.clientId)?.secret);
      const stored = await store.inner.get(issued.clientId);
      expect(stored?.registrationAccessToken).toBe(idp.clients.get(issued.clientId)?.rat);
      expect(stored?.version).toBe(3);

      // The client stays manageable: a delete with the stored RAT works.
      await adapter.deleteClient(issued.clientId, context());
      expect(idp.clients.has(issued.clientId)).toBe(false);
    });

    it('answers 503 and logs when the rotated RAT cannot be stored', async () => {
      idp.behaviour.rotateRatOn.add('GET');
      const { adapter, store, issued } = await registered({ rotation: 'update' });
      store.fail.add('replace');

      const error = await bridgeErrorOf(adapter.rotateSecret(issued.clientId, context()));

      expect(error).toMatchObject({ statusCode: 503, error: 'service_unavailable' });
      expect(error.description).toContain('retry');
      expect(idp.calls).toEqual([`GET /register/${issued.clientId}`]);
      expect(output.text()).toContain('Rotated registration access token could not be stored');
    });
  });

  describe('updateRedirectUris', () => {
    it('puts the full metadata back with the new URIs and the current secret', async () => {
      const { adapter, issued } = await registered();
      const uris = ['https://app.example.com/a', 'http://127.0.0.1:8080/b'];

      await adapter.updateRedirectUris(issued.clientId, uris, context());

      expect(idp.calls).toEqual([`GET /register/${issued.clientId}`, `PUT /register/${issued.clientId}`]);
      const body = JSON.parse(idp.requests[1]?.body ?? '') as Record<string, unknown>;
      expect(body).toMatchObject({
        client_id: issued.clientId,
        client_name: 'Weather app',
        redirect_uris: uris,
        client_secret: issued.clientSecret,
      });
      expect(body).not.toHaveProperty('registration_access_token');
      expect(idp.clients.get(issued.clientId)?.metadata.redirect_uris).toEqual(uris);
      // Keeping the secret means the developer's credentials still work.
      expect(idp.clients.get(issued.clientId)?.secret).toBe(issued.clientSecret);
    });

    it('sends single values back when the read returned arrays for single-valued metadata', async () => {
      idp.behaviour.arrayValuedMetadata = true;
      const { adapter, issued } = await registered();

      await adapter.updateRedirectUris(issued.clientId, ['https://app.example.com/a'], context());

      const body = JSON.parse(idp.requests[1]?.body ?? '') as Record<string, unknown>;
      expect(body).toMatchObject({
        client_name: 'Weather app',
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'read write',
        client_secret: issued.clientSecret,
      });
      expect(idp.clients.get(issued.clientId)?.metadata.redirect_uris).toEqual(['https://app.example.com/a']);
    });

    it('answers 502 and logs an ERROR when the IdP issued a new secret with the update', async () => {
      idp.behaviour.secretOnUpdate = 'always';
      const { adapter, issued } = await registered();

      const error = await bridgeErrorOf(
        adapter.updateRedirectUris(issued.clientId, ['https://app.example.com/a'], context()),
      );

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('issued a new client secret while updating the redirect URIs');
      expect(error.description).toContain('must refresh the secret in the portal');
      expect(error.description).toContain('IDP_REDIRECT_URI_UPDATES=refuse');
      expect(error.description).not.toContain(issued.clientSecret);
      expect(output.lines()).toContainEqual(
        expect.objectContaining({ level: 'ERROR', client_id: issued.clientId, idp: 'generic' }),
      );
      expect(output.text()).not.toContain('"level":"WARN"');
    });

    it('answers 502 when the read showed no secret and the update answer carries one (just issued)', async () => {
      const { adapter, issued } = await registered();
      idp.answerOnce('GET', /^\/register\//, 200, { client_id: issued.clientId, client_name: 'Weather app' });

      const error = await bridgeErrorOf(
        adapter.updateRedirectUris(issued.clientId, ['https://app.example.com/a'], context()),
      );

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('issued a new client secret');
    });

    it.each([
      ['IDP_REDIRECT_URI_UPDATES=refuse', { redirectUriUpdates: 'refuse' }],
      ['IDP_SECRET_ROTATION=read (refuse by default)', { rotation: 'read' }],
    ] as const)('with %s answers 409 update_refused without any HTTP call', async (_label, options) => {
      const { adapter, issued } = await registered(options);

      const error = await bridgeErrorOf(
        adapter.updateRedirectUris(issued.clientId, ['https://app.example.com/a'], context()),
      );

      expect(error).toMatchObject({ statusCode: 409, error: 'update_refused' });
      expect(error.description).toContain('issues a new client secret on every update');
      expect(error.description).toContain(issued.clientId);
      expect(error.description).toContain('IDP_REDIRECT_URI_UPDATES=apply');
      expect(idp.calls).toEqual([]);
    });

    it('with IDP_SECRET_ROTATION=read and IDP_REDIRECT_URI_UPDATES=apply, applies and answers 502', async () => {
      idp.behaviour.renewSecretOnRead = true;
      const { adapter, issued } = await registered({ rotation: 'read', redirectUriUpdates: 'apply' });

      const error = await bridgeErrorOf(
        adapter.updateRedirectUris(issued.clientId, ['https://app.example.com/a'], context()),
      );

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(idp.clients.get(issued.clientId)?.metadata.redirect_uris).toEqual(['https://app.example.com/a']);
    });

    it('answers 404 for an unknown client without any HTTP call', async () => {
      const { adapter } = setup();

      const error = await bridgeErrorOf(adapter.updateRedirectUris('client-unknown', [], context()));

      expect(error).toMatchObject({ statusCode: 404, error: 'client_not_found' });
      expect(idp.calls).toEqual([]);
    });

    it('passes an IdP invalid_redirect_uri on the update as 400', async () => {
      const { adapter, issued } = await registered();
      idp.answerOnce('PUT', /^\/register\//, 400, { error: 'invalid_redirect_uri' });

      const error = await bridgeErrorOf(
        adapter.updateRedirectUris(issued.clientId, ['https://x.example/cb'], context()),
      );

      expect(error).toMatchObject({ statusCode: 400, error: 'invalid_redirect_uri' });
    });
  });

  describe('addRegistration / removeRegistration', () => {
    it.each(['addRegistration', 'removeRegistration'] as const)(
      '%s resolves for a known client without any HTTP call',
      async (method) => {
        const { adapter, issued } = await registered();

        await adapter[method]({ clientId: issued.clientId, apiProductVersionId: 'apv-1' });

        expect(idp.calls).toEqual([]);
      },
    );

    it.each(['addRegistration', 'removeRegistration'] as const)(
      '%s answers 404 for an unknown client',
      async (method) => {
        const { adapter } = setup();

        const error = await bridgeErrorOf(
          adapter[method]({ clientId: 'client-unknown', apiProductVersionId: 'apv-1' }),
        );

        expect(error).toMatchObject({ statusCode: 404, error: 'client_not_found' });
      },
    );
  });

  describe('initial access token by client credentials', () => {
    const credentials = { clientId: 'bridge', clientSecret: 'bridge-secret' };

    it('obtains a "dcr" token with Basic auth and registers with it', async () => {
      const { adapter } = setup({ initialTokenScope: 'dcr', credentials });

      const issued = await adapter.createClient(newClient(), context());

      expect(idp.calls).toEqual(['POST /token', 'POST /register']);
      const [token, registration] = idp.requests;
      expect(token?.headers.authorization).toBe(`Basic ${Buffer.from('bridge:bridge-secret').toString('base64')}`);
      expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
        grant_type: 'client_credentials',
        scope: 'dcr',
      });
      expect(registration?.headers.authorization).toBe('Bearer cc-token-1');
      expect(idp.clients.has(issued.clientId)).toBe(true);
    });

    it('form-encodes id and secret before Basic encoding (RFC 6749 section 2.3.1)', async () => {
      const special = { clientId: 'bridge client', clientSecret: 'p@ss:w/rd+1' };
      idp.behaviour.tokenClient = { id: special.clientId, secret: special.clientSecret, scope: 'dcr', token: 't-9' };
      const { adapter } = setup({ initialTokenScope: 'dcr', credentials: special });

      await adapter.createClient(newClient(), context());

      const basic = idp.requests[0]?.headers.authorization?.replace('Basic ', '') ?? '';
      expect(Buffer.from(basic, 'base64').toString('utf8')).toBe('bridge+client:p%40ss%3Aw%2Frd%2B1');
      expect(idp.requests[1]?.headers.authorization).toBe('Bearer t-9');
    });

    it('gets a fresh token for every registration', async () => {
      const { adapter } = setup({ initialTokenScope: 'dcr', credentials });

      await adapter.createClient(newClient(), context());
      await adapter.createClient(newClient(), context());

      expect(idp.calls).toEqual(['POST /token', 'POST /register', 'POST /token', 'POST /register']);
    });

    it('answers 502 mentioning credentials and registers nothing when the token endpoint refuses', async () => {
      const { adapter } = setup({
        initialTokenScope: 'dcr',
        credentials: { clientId: 'bridge', clientSecret: 'nope' },
      });

      const error = await bridgeErrorOf(adapter.createClient(newClient(), context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('credentials');
      expect(error.description).toContain('"dcr"');
      expect(error.description).not.toContain('nope');
      expect(idp.calls).toEqual(['POST /token']);
      expect(idp.clients.size).toBe(0);
    });

    it('answers 502 without any HTTP call when the bridge has no client credentials', async () => {
      const { adapter } = setup({ initialTokenScope: 'dcr', credentials: { clientId: 'bridge' } });

      const error = await bridgeErrorOf(adapter.createClient(newClient(), context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(idp.calls).toEqual([]);
    });

    it('answers 502 without any HTTP call when there is no token endpoint', async () => {
      const { adapter } = setup({
        initialTokenScope: 'dcr',
        credentials,
        endpoints: { registrationEndpoint: idp.registrationEndpoint },
      });

      const error = await bridgeErrorOf(adapter.createClient(newClient(), context()));

      expect(error.description).toContain('no token endpoint');
      expect(idp.calls).toEqual([]);
    });
  });

  // Issue 9 finding 4: a GET with a registration access token went to 169.254.169.254, because
  // registration_client_uri was used wherever the IdP's answer pointed.
  describe('registration_client_uri on another origin', () => {
    const METADATA = 'http://169.254.169.254/latest/meta-data/iam';
    let elsewhere: LoopbackServer;
    /** Every URL the bridge passed to node:http; the metadata address is never actually connected to. */
    let fetched: string[];

    beforeAll(async () => {
      elsewhere = await startLoopbackServer((_request, response) => sendJson(response, 200, {}));
    });
    afterAll(async () => {
      await elsewhere.close();
    });
    beforeEach(() => {
      elsewhere.requests.length = 0;
      fetched = [];
      // The HttpClient takes node:http through process.getBuiltinModule: the same module object.
      const realRequest = http.request;
      jest.spyOn(http, 'request').mockImplementation(((...args: Parameters<typeof http.request>) => {
        // The client passes the URL itself (a URL object) as the first argument.
        const url = String(args[0]);
        fetched.push(url);
        if (url.startsWith('http://169.254.')) throw new Error('the test forbids this address');
        return realRequest(...args);
      }) as typeof http.request);
    });
    afterEach(() => {
      jest.restoreAllMocks();
    });

    const toMetadata = () => fetched.filter((url) => url.startsWith('http://169.254.'));

    it.each([
      ['a cloud metadata address', () => METADATA],
      ['another loopback origin', () => `${elsewhere.url}/register`],
    ])('refuses a registration answer pointing at %s: 502, reported, nothing sent there', async (_label, base) => {
      idp.behaviour.clientUriBase.register = base();
      const { adapter, store } = setup();

      const error = await bridgeErrorOf(adapter.createClient(newClient(), context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('registration_client_uri on another origin');
      expect(error.description).toContain('IDP_ALLOWED_ORIGINS');
      expect(error.description).not.toMatch(/169\.254|127\.0\.0\.1/);
      expect(idp.calls).toEqual(['POST /register']);
      // The spy sees the bridge's requests (else the checks below would prove nothing).
      expect(fetched).toEqual([`${idp.url}/register`]);
      expect(toMetadata()).toEqual([]);
      expect(elsewhere.requests).toEqual([]);
      expect(store.calls).toEqual([]);
      expect(output.lines()).toContainEqual(
        expect.objectContaining({ level: 'ERROR', message: expect.stringMatching(/^Orphaned client at the IdP/) }),
      );
    });

    it('does not even undo through it when the answer also lacks a client_secret', async () => {
      idp.behaviour.clientUriBase.register = METADATA;
      idp.behaviour.omitOnRegister.add('client_secret');
      const { adapter } = setup();

      await expect(adapter.createClient(newClient(), context())).rejects.toMatchObject({ statusCode: 502 });

      expect(toMetadata()).toEqual([]);
    });

    it('refuses a later RFC 7592 answer pointing elsewhere, and keeps the rotated token at the trusted URI', async () => {
      idp.behaviour.rotateRatOn.add('GET');
      const { adapter, store, issued, record } = await registered();
      idp.behaviour.clientUriBase.manage = `${elsewhere.url}/register`;

      const error = await bridgeErrorOf(adapter.rotateSecret(issued.clientId, context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('registration_client_uri on another origin');
      const stored = await store.inner.get(issued.clientId);
      expect(stored?.registrationClientUri).toBe(record.registrationClientUri);
      expect(stored?.registrationAccessToken).toBe(idp.clients.get(issued.clientId)?.rat);

      // The client stays manageable where it always was, and the other origin never hears of it.
      idp.behaviour.clientUriBase.manage = undefined;
      await adapter.deleteClient(issued.clientId, context());
      expect(idp.clients.has(issued.clientId)).toBe(false);
      expect(elsewhere.requests).toEqual([]);
    });

    it.each(['delete', 'rotate'] as const)(
      'sends no RAT to a stored URI on another origin (%s): 502 before any request',
      async (operation) => {
        const { adapter, store } = setup();
        await store.inner.create({
          clientId: 'stored-elsewhere',
          registrationClientUri: `${METADATA}/stored-elsewhere`,
          registrationAccessToken: 'rat-stored-elsewhere',
        });

        const call =
          operation === 'delete'
            ? adapter.deleteClient('stored-elsewhere', context())
            : adapter.rotateSecret('stored-elsewhere', context());
        const error = await bridgeErrorOf(call);

        expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
        expect(fetched).toEqual([]);
        await expect(store.inner.get('stored-elsewhere')).resolves.toBeDefined();
      },
    );
  });

  describe('endpoint discovery through the issuer', () => {
    it('finds the registration endpoint in the OpenID configuration', async () => {
      idp.behaviour.discovery.openid = true;
      const { adapter } = setup({ endpoints: { issuer: idp.url } });

      await adapter.createClient(newClient(), context());
      await adapter.createClient(newClient(), context());

      expect(idp.calls).toEqual(['GET /.well-known/openid-configuration', 'POST /register', 'POST /register']);
    });

    it('falls back to the OAuth authorization server metadata', async () => {
      idp.behaviour.discovery.oauth = true;
      const { adapter } = setup({ endpoints: { issuer: idp.url } });

      await adapter.createClient(newClient(), context());

      expect(idp.calls).toEqual([
        'GET /.well-known/openid-configuration',
        'GET /.well-known/oauth-authorization-server',
        'POST /register',
      ]);
    });

    it('does not cache a failed discovery: the next call retries', async () => {
      const { adapter } = setup({ endpoints: { issuer: idp.url } });

      const error = await bridgeErrorOf(adapter.createClient(newClient(), context()));
      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('discovery document');

      idp.behaviour.discovery.openid = true;
      await adapter.createClient(newClient(), context());

      expect(idp.calls).toEqual([
        'GET /.well-known/openid-configuration',
        'GET /.well-known/oauth-authorization-server',
        'GET /.well-known/openid-configuration',
        'POST /register',
      ]);
    });
  });
});
