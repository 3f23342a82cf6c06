import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LocalEnvironment } from '../../bin/local/local-environment';
import { callBridge } from '../support/konnect-client';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const KEY = 'idp_failures_key_0001';
const createBody = { client_name: 'app', grant_types: ['client_credentials'] };

type Behaviour = 'hang' | 'reset' | 'error500' | 'html' | 'no-secret' | 'bad-iat';

/** A registration endpoint that misbehaves on demand; it records the calls it gets. */
function startMisbehavingIdp() {
  let behaviour: Behaviour = 'hang';
  const calls: string[] = [];
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    calls.push(`${req.method} ${req.url}`);
    req.resume();
    if (req.method === 'DELETE') return res.writeHead(204).end();
    switch (behaviour) {
      case 'hang':
        hanging.push(res);
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'error500':
        res.writeHead(500, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: 'server_error', error_description: 'db down at http://10.0.0.7:5432' }));
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>maintenance</html>');
      case 'no-secret':
        res.writeHead(201, { 'content-type': 'application/json' });
        return res.end(
          JSON.stringify({
            client_id: 'issued-without-secret',
            registration_access_token: 'rat-value-123',
            registration_client_uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/reg/issued-without-secret`,
          }),
        );
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
      for (const res of hanging) res.destroy();
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

  it('answers 504 when the IdP does not answer within the deadline', async () => {
    idp.setBehaviour('hang');
    const started = Date.now();
    const answer = await create();
    expect(answer.status).toBe(504);
    expect(answer.body.error).toBe('idp_timeout');
    // Bounded by the 700 ms deadline, not by the hang: generous slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers 502 without the IdP address when the connection drops', async () => {
    idp.setBehaviour('reset');
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error).toBe('idp_error');
    expect(answer.text).not.toContain('127.0.0.1');
  });

  it('answers 502 naming the IdP status, without the internal address the IdP leaked', async () => {
    idp.setBehaviour('error500');
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('500');
    expect(answer.body.error_description).toContain('server_error');
    expect(answer.text).not.toContain('10.0.0.7');
  });

  it('answers 502 when the IdP answers something that is not a registration', async () => {
    idp.setBehaviour('html');
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('client_id');
  });

  it('removes a client registered without a secret instead of leaving an orphan', async () => {
    idp.setBehaviour('no-secret');
    const before = idp.calls.length;
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('client_secret');
    expect(idp.calls.slice(before)).toEqual(['POST /reg', 'DELETE /reg/issued-without-secret']);
  });

  it("tells the admin that the bridge's IdP credentials were refused", async () => {
    idp.setBehaviour('bad-iat');
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('credentials');
    expect(answer.body.error_description).toContain('invalid_token');
  });

  it('keeps the initial access token and registration tokens out of answers and logs', () => {
    expect(bridge.output.text()).toContain('Request failed');
    for (const secret of ['iat-secret-value-xyz', 'rat-value-123', KEY])
      expect(bridge.output.text()).not.toContain(secret);
  });
});
