import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type LocalBridge, startLocalBridge } from '../../bin/local/start-local-bridge';
import { loadBridgeDependencies } from '../../functions/bridge/bridge-dependencies';
import { createBridgeHandler } from '../../functions/bridge/create-bridge-handler';
import { captureOutputPerTest } from '../support/captured-output';
import { type BridgeAnswer, callBridge } from '../support/konnect-client';
import { blobsWith } from '../unit/observability/emf';
import { type FakeDcrBehaviour, FakeDcrServer } from '../unit/support/fake-dcr-server';

const KEY = 'generic_modes_key_00001';
const IAT = 'generic-modes-initial-access-token';
const LOST_CREATE = 'Orphaned client possible at the IdP';
const SECRET_CHANGED = 'The identity provider issued a new client secret while the bridge updated the redirect URIs';

/** The bridge's own settings for one run (the rest points the generic adapter at the fake). */
interface BridgeSettings {
  IDP_SECRET_ROTATION: 'none' | 'read' | 'update';
  IDP_REDIRECT_URI_UPDATES?: 'apply' | 'refuse';
}

/** How each step of the lifecycle ends in a mode: it works, or it answers this documented error. */
type Outcome = 'works' | { status: number; error: string; text: string[] };

interface Expected {
  rotation: Outcome;
  update: Outcome;
}

const createBody = (name: string) => ({
  client_name: name,
  redirect_uris: ['https://app.example.com/callback'],
  grant_types: ['client_credentials', 'bearer'],
  scopes: ['read', 'write'],
  token_endpoint_auth_method: 'client_secret_basic',
  application_description: '',
  portal_id: 'b4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  organization_id: 'c4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  developer_id: 'd4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
});

// The real open-source server of issue 8, every behaviour at once.
const REAL_SERVER: Partial<FakeDcrBehaviour> = {
  arrayValuedMetadata: true,
  secretOnUpdate: 'always',
  registerStatus: 200,
  emptyResponseTypesBecomeCode: true,
  tokenRefusal: 'bare-403',
  tokenScopeRequired: true,
  deleteDisables: true,
  renewSecretOnRead: false,
};

const refusedOnUpdate: Outcome = {
  status: 409,
  error: 'update_refused',
  text: ['issues a new client secret on every update', 'did not change the redirect URIs', 'IDP_REDIRECT_URI_UPDATES'],
};

const secretChangedOnUpdate: Outcome = {
  status: 502,
  error: 'idp_error',
  text: [
    'issued a new client secret while updating the redirect URIs',
    'the developer must refresh the secret in the portal',
    'IDP_REDIRECT_URI_UPDATES=refuse',
  ],
};

const sameSecretOnRead: Outcome = {
  status: 502,
  error: 'idp_error',
  text: ['same client secret on two reads', 'IDP_SECRET_ROTATION to "update"', '"none"'],
};

/**
 * The generic adapter through the bridge's real handler over loopback HTTP (as `npm start` serves
 * it), against the fake RFC 7591/7592 server in each mode a real server showed: every step of the
 * lifecycle either works, or answers the documented error and leaves the developer's credentials
 * as they were.
 */
describe('generic adapter lifecycle in every fake-server mode', () => {
  const output = captureOutputPerTest();
  let idp: FakeDcrServer;
  let bridge: LocalBridge | undefined;

  beforeAll(async () => {
    idp = await FakeDcrServer.start();
  });
  afterAll(async () => {
    await idp?.close();
  });
  beforeEach(() => {
    idp.reset();
  });
  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });

  /** The fake in a mode, and a fresh bridge (a cold start) with these settings in front of it. */
  async function start(mode: Partial<FakeDcrBehaviour>, settings: BridgeSettings): Promise<string> {
    Object.assign(idp.behaviour, mode);
    idp.behaviour.acceptedInitialTokens.add(IAT);
    const env = {
      IDP_TYPE: 'generic',
      IDP_REGISTRATION_ENDPOINT: idp.registrationEndpoint,
      IDP_INITIAL_ACCESS_TOKEN: IAT,
      IDP_TIMEOUT_MS: '3000',
      KONNECT_API_KEYS: KEY,
      ...settings,
    };
    const handler = createBridgeHandler(() => loadBridgeDependencies(env));
    bridge = await startLocalBridge({ handler, port: 0 });
    return bridge.url;
  }

  /** Client credentials at the fake's token endpoint, as a gateway would use the issued ones. */
  async function token(clientId: string, secret: string) {
    const scope = idp.behaviour.tokenScopeRequired ? 'read' : undefined;
    const response = await fetch(idp.tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope && { scope }) }),
      signal: AbortSignal.timeout(5000),
    });
    return { status: response.status, body: await response.text() };
  }

  async function expectWorks(clientId: string, secret: string) {
    expect((await token(clientId, secret)).status).toBe(200);
  }

  /** Refused the way this token endpoint refuses: RFC 6749 JSON, or a bare 403. */
  async function expectRefused(clientId: string, secret: string) {
    const answer = await token(clientId, secret);
    if (idp.behaviour.tokenRefusal === 'bare-403') expect(answer).toEqual({ status: 403, body: '' });
    else expect(answer.status).toBe(401);
  }

  function expectOutcome(answer: BridgeAnswer, outcome: Exclude<Outcome, 'works'>) {
    expect(answer.status).toBe(outcome.status);
    expect(Object.keys(answer.body).sort()).toEqual(['error', 'error_description']);
    expect(answer.body.error).toBe(outcome.error);
    for (const text of outcome.text) expect(answer.body.error_description).toContain(text);
  }

  /**
   * create → token works → new-secret → old secret refused, new one works → update_application →
   * delete → token refused; each step checked against what the mode documents.
   */
  async function lifecycle(bridgeUrl: string, expected: Expected) {
    const call = (method: 'POST' | 'DELETE', path: string, json?: unknown) =>
      callBridge(bridgeUrl, method, path, { key: KEY, json });

    const created = await call('POST', '/', createBody('Modes App'));
    expect(created.status).toBe(201);
    const clientId = created.body.client_id as string;
    let secret = created.body.client_secret as string;
    expect(idp.calls.filter((line) => line === 'POST /register')).toHaveLength(1);
    await expectWorks(clientId, secret);

    const rotated = await call('POST', `/${clientId}/new-secret`);
    if (expected.rotation === 'works') {
      expect(rotated.status).toBe(200);
      const next = rotated.body.client_secret as string;
      expect(next).not.toBe(secret);
      await expectRefused(clientId, secret);
      secret = next;
    } else {
      expectOutcome(rotated, expected.rotation);
    }
    await expectWorks(clientId, secret);

    const redirectUris = ['https://app.example.com/v2/callback', 'http://127.0.0.1:8080/cb'];
    const updated = await call('POST', `/${clientId}/event-hook`, {
      event_type: 'update_application',
      client_id: clientId,
      application_id: 'a4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
      redirect_uris: redirectUris,
    });
    if (expected.update === 'works') {
      expect(updated.status).toBe(200);
      expect(idp.clients.get(clientId)?.metadata.redirect_uris).toEqual(redirectUris);
      // A redirect URI change must leave the developer's credentials working.
      await expectWorks(clientId, secret);
    } else {
      expectOutcome(updated, expected.update);
      if (expected.update.status === 409) {
        // Refused before any IdP call: nothing changed, the developer's secret still works.
        expect(idp.clients.get(clientId)?.metadata.redirect_uris).toEqual(['https://app.example.com/callback']);
        await expectWorks(clientId, secret);
      } else {
        // Applied, with a new secret the bridge could not hand over: said so, never a silent 200.
        expect(idp.clients.get(clientId)?.metadata.redirect_uris).toEqual(redirectUris);
        await expectRefused(clientId, secret);
        expect(output.lines()).toContainEqual(
          expect.objectContaining({ level: 'ERROR', message: SECRET_CHANGED, client_id: clientId }),
        );
      }
    }
    // Never the old WARN-and-200 about a changed secret.
    const warnings = output.lines().filter((line) => line.level === 'WARN');
    expect(warnings.filter((line) => /secret/i.test(String(line.message)))).toEqual([]);

    const deleted = await call('DELETE', `/${clientId}`);
    expect(deleted.status).toBe(204);
    await expectRefused(clientId, secret);
    expect(idp.activeClients()).not.toContain(clientId);
    // Konnect's repeated delete: the bridge's own record says it is done; nothing reaches the IdP.
    const before = idp.calls.length;
    expect((await call('DELETE', `/${clientId}`)).status).toBe(204);
    expect(idp.calls.length).toBe(before);
    return clientId;
  }

  it('RFC 7591/7592 as written (rotation by update): every step works', async () => {
    const url = await start({}, { IDP_SECRET_ROTATION: 'update' });
    const clientId = await lifecycle(url, { rotation: 'works', update: 'works' });
    expect(idp.clients.has(clientId)).toBe(false);
  });

  it('single-valued metadata read back as arrays: updates send RFC 7591 single values, every step works', async () => {
    const url = await start({ arrayValuedMetadata: true }, { IDP_SECRET_ROTATION: 'update' });
    await lifecycle(url, { rotation: 'works', update: 'works' });
    const puts = idp.requests.filter((request) => request.method === 'PUT');
    expect(puts).toHaveLength(2);
    for (const put of puts) {
      expect(JSON.parse(put.body)).toMatchObject({
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'read write',
      });
    }
  });

  it('registration answered 200 with response_types [] turned into ["code"]: every step works', async () => {
    const url = await start(
      { registerStatus: 200, emptyResponseTypesBecomeCode: true },
      { IDP_SECRET_ROTATION: 'update' },
    );
    await lifecycle(url, { rotation: 'works', update: 'works' });
  });

  it('a token endpoint that needs scope and refuses with a bare 403: every step works', async () => {
    const url = await start({ tokenRefusal: 'bare-403', tokenScopeRequired: true }, { IDP_SECRET_ROTATION: 'update' });
    const clientId = await lifecycle(url, { rotation: 'works', update: 'works' });
    const withoutScope = await fetch(idp.tokenEndpoint, { method: 'POST', body: 'grant_type=client_credentials' });
    expect(withoutScope.status).toBe(400);
    expect(await token(clientId, 'wrong')).toEqual({ status: 403, body: '' });
  });

  it('a new secret on every update, IDP_REDIRECT_URI_UPDATES=apply (default): the update answers 502 and logs an ERROR', async () => {
    const url = await start({ secretOnUpdate: 'always' }, { IDP_SECRET_ROTATION: 'update' });
    await lifecycle(url, { rotation: 'works', update: secretChangedOnUpdate });
  });

  it('a new secret on every update, IDP_REDIRECT_URI_UPDATES=refuse: 409 before any IdP call', async () => {
    const url = await start(
      { secretOnUpdate: 'always' },
      { IDP_SECRET_ROTATION: 'update', IDP_REDIRECT_URI_UPDATES: 'refuse' },
    );
    await lifecycle(url, { rotation: 'works', update: refusedOnUpdate });
  });

  it('a new secret on every read (Curity-style), IDP_SECRET_ROTATION=read: rotation works, updates are refused by default', async () => {
    const url = await start({ renewSecretOnRead: true }, { IDP_SECRET_ROTATION: 'read' });
    await lifecycle(url, { rotation: 'works', update: refusedOnUpdate });
  });

  it('no new secret on read, IDP_SECRET_ROTATION=read: rotation answers 502 naming the setting to use', async () => {
    const url = await start({ renewSecretOnRead: false }, { IDP_SECRET_ROTATION: 'read' });
    await lifecycle(url, { rotation: sameSecretOnRead, update: refusedOnUpdate });
  });

  it('DELETE only disables: the client stays at the IdP, disabled, and its token is dead', async () => {
    const url = await start({ deleteDisables: true }, { IDP_SECRET_ROTATION: 'update' });
    const clientId = await lifecycle(url, { rotation: 'works', update: 'works' });
    expect(idp.clients.get(clientId)?.disabled).toBe(true);
    expect(idp.calls.filter((line) => line.startsWith('DELETE '))).toEqual([`DELETE /register/${clientId}`]);
  });

  describe('the real server of issue 8, every behaviour at once', () => {
    it('IDP_SECRET_ROTATION=update with IDP_REDIRECT_URI_UPDATES=refuse: rotation works, updates answer 409', async () => {
      const url = await start(REAL_SERVER, { IDP_SECRET_ROTATION: 'update', IDP_REDIRECT_URI_UPDATES: 'refuse' });
      await lifecycle(url, { rotation: 'works', update: refusedOnUpdate });
    });

    it('IDP_SECRET_ROTATION=update with updates applied: the update answers 502', async () => {
      const url = await start(REAL_SERVER, { IDP_SECRET_ROTATION: 'update' });
      await lifecycle(url, { rotation: 'works', update: secretChangedOnUpdate });
    });

    it('IDP_SECRET_ROTATION=read: rotation answers 502, the developer keeps a working secret', async () => {
      const url = await start(REAL_SERVER, { IDP_SECRET_ROTATION: 'read' });
      await lifecycle(url, { rotation: sameSecretOnRead, update: refusedOnUpdate });
    });

    it('IDP_SECRET_ROTATION=none: rotation answers 400 pointing at "Disable refresh secret"', async () => {
      const url = await start(REAL_SERVER, { IDP_SECRET_ROTATION: 'none', IDP_REDIRECT_URI_UPDATES: 'refuse' });
      await lifecycle(url, {
        rotation: { status: 400, error: 'invalid_request', text: ['Disable refresh secret'] },
        update: refusedOnUpdate,
      });
    });
  });

  it('20 parallel creates, every 4th answered 500 after storing: each client left behind is reported, one POST each', async () => {
    const url = await start({ failAfterStoringEvery: 4 }, { IDP_SECRET_ROTATION: 'update' });
    const names = Array.from({ length: 20 }, (_, index) => `Parallel App ${index + 1}`);

    const answers = await Promise.all(
      names.map((name) => callBridge(url, 'POST', '/', { key: KEY, json: createBody(name) })),
    );

    // Exactly one registration POST per create: a 5xx is never retried.
    expect(idp.calls.filter((line) => line === 'POST /register')).toHaveLength(20);
    expect(idp.clients.size).toBe(20);
    const handedOut = new Set(answers.filter((answer) => answer.status === 201).map((a) => a.body.client_id));
    const failed = answers.filter((answer) => answer.status !== 201);
    expect(handedOut.size).toBe(15);
    expect(failed).toHaveLength(5);
    for (const answer of failed) {
      expect(answer.status).toBe(502);
      expect(answer.body.error_description).toContain('500 (server_error');
      expect(answer.body.error_description).toContain('may have created the client anyway');
    }
    // Every client at the IdP that Konnect never got is reported by its name, exactly once.
    const leftBehind = [...idp.clients]
      .filter(([id]) => !handedOut.has(id))
      .map(([, client]) => client.metadata.client_name)
      .sort();
    const reports = output.lines().filter((line) => String(line.message).startsWith(LOST_CREATE));
    expect(reports.map((line) => line.client_name).sort()).toEqual(leftBehind);
    expect(reports.every((line) => line.level === 'ERROR')).toBe(true);
    const counted = blobsWith(output.text(), 'OrphanedClients').reduce(
      (sum, blob) => sum + Number(blob.members.OrphanedClients),
      0,
    );
    expect(counted).toBe(5);
  });

  it('never logs an issued secret or a registration access token', async () => {
    const url = await start(REAL_SERVER, { IDP_SECRET_ROTATION: 'update', IDP_REDIRECT_URI_UPDATES: 'refuse' });
    await lifecycle(url, { rotation: 'works', update: refusedOnUpdate });
    const logs = output.text();
    expect(logs).toContain('Client created');
    const secrets = [...idp.clients.values()].flatMap((client) => [client.secret, client.rat]);
    expect(secrets.length).toBeGreaterThan(1);
    for (const secret of [...secrets, IAT, KEY]) expect(logs).not.toContain(secret);
  });
});
