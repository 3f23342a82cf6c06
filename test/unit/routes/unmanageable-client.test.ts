import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadBridge } from '../../../functions/bridge/bridge-dependencies';
import { createBridgeHandler } from '../../../functions/bridge/create-bridge-handler';
import { refuseUnmanageableClient } from '../../../functions/routes/unmanageable-client';
import { captureOutputPerTest } from '../../support/captured-output';
import { blobsWith, logLines } from '../observability/emf';
import { apiGatewayEvent, lambdaContext } from '../support/api-gateway';
import { bridgeErrorOf } from '../support/bridge-error-of';
import { FakeIdpAdapter } from '../support/fake-idp-adapter';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../support/loopback-server';

const KEY = 'unmanageable_client_key_01';

describe('refuseUnmanageableClient (issue 9 finding 7)', () => {
  const output = captureOutputPerTest();
  const orphanReports = () => blobsWith(output.text(), 'OrphanedClients');

  it.each(['0oa1b2c3d4', 'a.b_c~d-e', 'x'.repeat(255)])('lets %s through untouched', async (clientId) => {
    const adapter = new FakeIdpAdapter();

    await refuseUnmanageableClient(clientId, adapter);

    expect(adapter.calls).toEqual([]);
  });

  it.each([
    ['a slash', 'tenant/client-1'],
    ['a space', 'client 1'],
    ['a non-ASCII letter', 'clïent'],
    ['a percent sign', 'client%2F1'],
    ['more than 255 characters', 'y'.repeat(256)],
  ])(
    'undoes a client whose id has %s through the adapter, then answers 502 without the id',
    async (_label, clientId) => {
      const adapter = new FakeIdpAdapter();

      const error = await bridgeErrorOf(refuseUnmanageableClient(clientId, adapter));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('removed it again');
      expect(error.description).not.toContain(clientId);
      expect(adapter.calls).toEqual([{ method: 'deleteClient', clientId }]);
      // Compensation has its own live deadline, whatever is left of the request's.
      expect(adapter.signals[0]?.aborted).toBe(false);
      expect(logLines(output.text(), 'Removed a half-created client at the IdP')).toHaveLength(1);
      expect(orphanReports()).toEqual([]);
    },
  );

  it('reports the client as orphaned when the adapter cannot delete it', async () => {
    const adapter = new FakeIdpAdapter();
    adapter.failWith = new Error('the IdP refused');

    const error = await bridgeErrorOf(refuseUnmanageableClient('odd id', adapter));

    expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
    expect(error.description).toContain('could not remove it');
    expect(orphanReports()).toHaveLength(1);
    expect(output.text()).toContain('odd id');
  });

  it.each([
    ['empty', ''],
    ['a dot segment', '..'],
    ['a single dot', '.'],
    ['an OData quote', "x')/owners('y"],
  ])('never sends an id that is %s to the adapter: it could address something else', async (_label, clientId) => {
    const adapter = new FakeIdpAdapter();

    const error = await bridgeErrorOf(refuseUnmanageableClient(clientId, adapter));

    expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
    expect(adapter.calls).toEqual([]);
    expect(orphanReports()).toHaveLength(1);
  });
});

describe('a create whose client id Konnect could never send back (real handler, loopback RFC 7591 IdP)', () => {
  const output = captureOutputPerTest();
  let idp: LoopbackServer;

  beforeAll(async () => {
    idp = await startLoopbackServer();
  });

  afterAll(async () => {
    await idp?.close();
  });

  it('is removed again at the IdP and answered 502 idp_error, without the secret', async () => {
    const clientId = 'clients/evil id';
    idp.handle((request, response) => {
      if (request.method === 'DELETE') {
        response.writeHead(204).end();
        return;
      }
      sendJson(response, 201, {
        client_id: clientId,
        client_secret: 'secret-never-handed-out',
        registration_access_token: 'rat-1',
        registration_client_uri: `${idp.url}/reg/clients%2Fevil%20id`,
      });
    });
    const handler = createBridgeHandler(() =>
      loadBridge({ IDP_REGISTRATION_ENDPOINT: `${idp.url}/reg`, KONNECT_API_KEYS: KEY }),
    );
    const event = apiGatewayEvent({
      resource: '/',
      httpMethod: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-KEY': KEY },
      body: JSON.stringify({ client_name: 'Odd id app', grant_types: ['client_credentials'] }),
    });

    const result = await handler(event, lambdaContext());

    expect(result.statusCode).toBe(502);
    expect(JSON.parse(result.body)).toMatchObject({ error: 'idp_error' });
    expect(result.body).not.toContain('secret-never-handed-out');
    expect(result.body).not.toContain('evil');
    expect(idp.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST /reg',
      'DELETE /reg/clients%2Fevil%20id',
    ]);
    expect(output.text()).not.toContain('secret-never-handed-out');
  });
});
