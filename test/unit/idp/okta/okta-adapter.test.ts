import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpClient } from '../../../../functions/commons/http-client';
import { type NewClient, operationWithin } from '../../../../functions/idp/idp-adapter';
import { OktaAdapter } from '../../../../functions/idp/okta/okta-adapter';
import { OktaClientsApi } from '../../../../functions/idp/okta/okta-api';
import { SswsAuthorization } from '../../../../functions/idp/okta/okta-authorization';
import { Ownership } from '../../../../functions/idp/ownership';
import { type OktaFake, oktaError, startOktaFake } from '../../../fakes/okta-fake';
import { captureOutputPerTest } from '../../../support/captured-output';
import { bridgeErrorOf } from '../../support/bridge-error-of';

const API_TOKEN = '00unitTestApiToken';

const newClient = (clientName: string): NewClient => ({
  clientName,
  description: '',
  redirectUris: [],
  grantTypes: ['client_credentials'],
  responseTypes: [],
  scopes: [],
  tokenEndpointAuthMethod: 'client_secret_basic',
  konnect: { developerId: 'd4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f' },
});

describe('OktaAdapter', () => {
  let fake: OktaFake;
  const output = captureOutputPerTest();

  beforeAll(async () => {
    fake = await startOktaFake({ apiToken: API_TOKEN });
  });
  afterAll(async () => {
    await fake.close();
  });

  const adapter = (manageUnmarkedClients = false, bridgeClientId?: string) => {
    const credentials = async () => ({ apiToken: API_TOKEN, clientId: bridgeClientId });
    return new OktaAdapter(
      new OktaClientsApi(
        fake.orgUrl,
        new HttpClient({ idpName: 'okta', callTimeoutMs: 2000 }),
        new SswsAuthorization(credentials),
      ),
      { manageUnmarkedClients },
      new Ownership('okta', credentials),
    );
  };

  it('logs an orphaned client by id when removing a half-created client fails too', async () => {
    fake.inject('create', { omitSecret: true });
    fake.inject('delete', { status: 500, body: oktaError('E0000009', 'Internal Server Error') });
    const before = fake.clientCount();
    const error = await bridgeErrorOf(adapter().createClient(newClient('Orphan'), operationWithin(3000)));
    expect(error.statusCode).toBe(502);
    expect(fake.clientCount()).toBe(before + 1);
    const orphan = output.lines().find((line) => String(line.message).startsWith('Orphaned client at Okta'));
    expect(orphan).toMatchObject({ level: 'ERROR', client_id: expect.stringMatching(/^0oa/) });
    await adapter().deleteClient(String(orphan?.client_id), operationWithin(3000));
    expect(fake.clientCount()).toBe(before);
  });

  it('leaves a log line naming the client when it cannot check for a half-created client', async () => {
    fake.inject('create', { hang: true });
    fake.inject('list', { status: 500, body: oktaError('E0000009', 'Internal Server Error') });
    const error = await bridgeErrorOf(adapter().createClient(newClient('Unchecked'), operationWithin(700)));
    expect(error.statusCode).toBe(504);
    expect(output.lines()).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: expect.stringContaining('Orphaned client possible'),
        client_name: expect.stringMatching(/^Unchecked \(d4b3a9b0-/),
      }),
    );
  });

  it('does not look for a half-created client after a rate limit, which proves nothing was created', async () => {
    fake.inject('create', { status: 429, body: oktaError('E0000047', 'API call exceeded rate limit'), headers: {} });
    const callsBefore = fake.calls().length;
    const error = await bridgeErrorOf(adapter().createClient(newClient('Limited'), operationWithin(5000)));
    expect(error.statusCode).toBe(503);
    expect(
      fake
        .calls()
        .slice(callsBefore)
        .every((call) => call === 'POST /oauth2/v1/clients'),
    ).toBe(true);
  });

  it('manages clients created before the bridge when told to', async () => {
    const foreign = fake.seedClient({
      client_name: 'Legacy app',
      application_type: 'service',
      grant_types: ['client_credentials'],
      response_types: ['token'],
    });
    const rotated = await adapter(true).rotateSecret(foreign, operationWithin(3000));
    expect(rotated.clientId).toBe(foreign);
    await adapter(true).deleteClient(foreign, operationWithin(3000));
    expect(fake.findClient(foreign)).toBeUndefined();
  });

  it("refuses the bridge's own client even with IDP_OKTA_MANAGE_UNMARKED_CLIENTS=true, calling Okta for nothing", async () => {
    const own = fake.seedClient({
      client_name: 'Konnect DCR bridge',
      application_type: 'service',
      grant_types: ['client_credentials'],
      response_types: ['token'],
    });
    const bridge = adapter(true, own);
    const context = () => operationWithin(3000);
    const callsBefore = fake.calls().length;
    for (const attempt of [
      bridge.rotateSecret(own, context()),
      bridge.updateRedirectUris(own, ['https://attacker.example.com/cb'], context()),
      bridge.addRegistration({ clientId: own, apiProductVersionId: 'v1' }, context()),
    ]) {
      const error = await bridgeErrorOf(attempt);
      expect([error.statusCode, error.error]).toEqual([404, 'client_not_found']);
    }
    await bridge.deleteClient(own, context());
    expect(fake.calls().slice(callsBefore)).toEqual([]);
    expect(fake.findClient(own)).toBeDefined();
    const refusals = output
      .lines()
      .filter((line) => line.message === 'Refused to act on a client the bridge did not create');
    expect(refusals).toHaveLength(4);
    expect(refusals[0]).toMatchObject({ level: 'WARN', client_id: own, reason: "the bridge's own credentials" });
  });
});
