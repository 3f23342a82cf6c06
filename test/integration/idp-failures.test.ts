import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LocalEnvironment } from '../../bin/local/local-environment';
import { callBridge } from '../support/konnect-client';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const KEY = 'idp_failures_key_0001';
const createBody = { client_name: 'app', grant_types: ['client_credentials'] };

type Behaviour = 'html' | 'bad-iat';

/**
 * A registration endpoint that misbehaves on demand; it records the calls it gets. Transport
 * faults (refused, reset, hang, trickle, huge bodies), 5xx, 429 and lost creates are covered
 * against a real IdP behind a fault proxy in test/faults/idp-faults.test.ts.
 */
function startMisbehavingIdp() {
  let behaviour: Behaviour = 'html';
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    calls.push(`${req.method} ${req.url}`);
    req.resume();
    if (req.method === 'DELETE') return res.writeHead(204).end();
    switch (behaviour) {
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>maintenance</html>');
      case 'bad-iat':
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: 'invalid_token', error_description: 'initial access token expired' }));
    }
  });
  return {
    server,
    calls,
    setBehaviour: (next: Behaviour) => {
      behaviour = next;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('IdP failures become contract errors with the right status', () => {
  const idp = startMisbehavingIdp();
  let bridge: TestBridge;
  let local: LocalEnvironment;

  beforeAll(async () => {
    await new Promise<void>((resolve) => idp.server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = idp.server.address() as AddressInfo;
    bridge = await startTestBridge([KEY], {
      IDP_REGISTRATION_ENDPOINT: `http://127.0.0.1:${port}/reg`,
      IDP_INITIAL_ACCESS_TOKEN: 'iat-secret-value-xyz',
      IDP_TIMEOUT_MS: '700',
    });
    local = bridge.local;
  });

  afterAll(async () => {
    await bridge?.stop();
    await idp.close();
  });

  const create = () => callBridge(local.bridgeUrl, 'POST', '/', { key: KEY, json: createBody });

  it('answers 502 when the IdP answers something that is not a registration, and reports a possible orphan', async () => {
    idp.setBehaviour('html');
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('client_id');
    // A 200 says something was created, and nothing in the answer names it.
    expect(answer.body.error_description).toContain('may have created the client anyway');
    expect(bridge.output.text()).toContain('Orphaned client possible at the IdP');
  });

  it("tells the admin that the bridge's IdP credentials were refused", async () => {
    idp.setBehaviour('bad-iat');
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('credentials');
    expect(answer.body.error_description).toContain('invalid_token');
  });

  it('keeps the initial access token and the Konnect key out of logs', () => {
    expect(bridge.output.text()).toContain('Request failed');
    for (const secret of ['iat-secret-value-xyz', KEY]) expect(bridge.output.text()).not.toContain(secret);
  });
});
