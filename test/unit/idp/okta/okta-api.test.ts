import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { HttpClient } from '../../../../functions/commons/http-client';
import { operationWithin } from '../../../../functions/idp/idp-adapter';
import { OktaClientsApi, UnknownOutcomeError } from '../../../../functions/idp/okta/okta-api';
import type { OktaAuthorization } from '../../../../functions/idp/okta/okta-authorization';
import { bridgeErrorOf } from '../../support/bridge-error-of';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../../support/loopback-server';

/** Hands out "Bearer t1", "Bearer t2", …; a renewed header follows every invalidate(). */
class CountingAuthorization implements OktaAuthorization {
  readonly hints = { refused: 'check it.', forbidden: 'grant it.' };
  issued = 1;
  invalidations = 0;
  constructor(private readonly renewable: boolean) {}
  async header() {
    return { value: `Bearer t${this.issued}`, renewable: this.renewable };
  }
  invalidate() {
    this.invalidations += 1;
    this.issued += 1;
  }
}

const context = () => operationWithin(3000);

describe('OktaClientsApi', () => {
  let server: LoopbackServer;
  let statuses: Array<{ status: number; body?: unknown }>;

  beforeAll(async () => {
    server = await startLoopbackServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.reset();
    statuses = [];
    server.handle((_request, response) => {
      const next = statuses.shift() ?? { status: 200, body: { client_id: 'x' } };
      sendJson(response, next.status, next.body ?? {});
    });
  });

  const api = (authorization: OktaAuthorization, orgUrl = server.url) =>
    new OktaClientsApi(orgUrl, new HttpClient({ idpName: 'okta', callTimeoutMs: 1000 }), authorization);

  it('builds every URL from the org URL and percent-encodes the client id', async () => {
    const clients = api(new CountingAuthorization(false));
    await clients.read('a/../b?c', context());
    await clients.newSecret('0oa 1', context());
    await clients.findByName('Weather (d4b3a9b0-abcdef)', context());
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /oauth2/v1/clients/a%2F..%2Fb%3Fc',
      'POST /oauth2/v1/clients/0oa%201/lifecycle/newSecret',
      'GET /oauth2/v1/clients?q=Weather+%28d4b3a9b0-abcdef%29&limit=200',
    ]);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer t1');
  });

  it('renews a refused cached token once and repeats the call', async () => {
    const authorization = new CountingAuthorization(true);
    statuses = [{ status: 401, body: { errorCode: 'E0000011', errorSummary: 'Invalid token provided' } }];
    const response = await api(authorization).create({ client_name: 'x' }, context());
    expect(response.status).toBe(200);
    expect(server.requests.map((request) => request.headers.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('does not repeat a call refused with a token that was just issued, or for an unknown client', async () => {
    const fresh = new CountingAuthorization(false);
    statuses = [{ status: 401, body: { errorCode: 'E0000011' } }];
    expect((await api(fresh).read('0oa1', context())).status).toBe(401);
    const cached = new CountingAuthorization(true);
    statuses = [{ status: 401, body: { error: 'invalid_client' } }];
    expect((await api(cached).read('0oa1', context())).status).toBe(401);
    expect(server.requests).toHaveLength(2);
    expect(cached.invalidations).toBe(0);
  });

  it('marks a lost answer as an unknown outcome, answered like the transport failure', async () => {
    server.handle(() => undefined);
    const error = await bridgeErrorOf(api(new CountingAuthorization(false)).create({}, operationWithin(600)));
    expect(error).toBeInstanceOf(UnknownOutcomeError);
    expect(error.statusCode).toBe(504);
    expect(error.error).toBe('idp_timeout');
  });

  it('does not mark a connection that never opened as an unknown outcome: nothing reached Okta', async () => {
    const closed = await startLoopbackServer();
    const orgUrl = closed.url;
    await closed.close();
    const error = await bridgeErrorOf(api(new CountingAuthorization(false), orgUrl).create({}, context()));
    expect(error.statusCode).toBe(502);
    expect(error).not.toBeInstanceOf(UnknownOutcomeError);
  });
});
