import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiGatewayEvent, lambdaContext } from '../unit/support/api-gateway';
import { type InstantIdp, startInstantIdp } from './bench/instant-idp';

const KEY = 'cold_path_key_0123456789';
const SAVED = { ...process.env };

/**
 * The Lambda entry point in a container whose environment switches tracing off, as the
 * benchmark runs it: the X-Ray SDK must never be loaded, since loading it alone installs a
 * process-wide async hook (cls-hooked's "AWSXRay" namespace) that every promise pays for.
 */
describe('cold path with POWERTOOLS_TRACE_ENABLED=false', () => {
  let idp: InstantIdp;
  let handler: typeof import('../../functions/bridge/index')['handler'];

  beforeAll(async () => {
    idp = await startInstantIdp();
    for (const name of Object.keys(process.env)) if (name.startsWith('IDP_')) delete process.env[name];
    Object.assign(process.env, {
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      KONNECT_API_KEYS: KEY,
      IDP_REGISTRATION_ENDPOINT: idp.registrationEndpoint,
      IDP_INITIAL_ACCESS_TOKEN: idp.initialAccessToken,
    });
    // Imported only now: the tracer decides at module load, as in a Lambda container.
    ({ handler } = await import('../../functions/bridge/index'));
  });

  afterAll(async () => {
    for (const name of Object.keys(process.env)) if (!(name in SAVED)) delete process.env[name];
    Object.assign(process.env, SAVED);
    await idp.close();
  });

  it('creates and deletes a client without loading the X-Ray SDK', async () => {
    const created = await handler(
      apiGatewayEvent({
        resource: '/',
        httpMethod: 'POST',
        headers: { 'X-API-KEY': KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_name: 'Cold App', grant_types: ['client_credentials'] }),
      }),
      lambdaContext(),
    );
    expect(created.statusCode).toBe(201);
    const clientId = (JSON.parse(created.body) as { client_id: string }).client_id;
    const deleted = await handler(
      apiGatewayEvent({ resource: '/{clientId}', httpMethod: 'DELETE', clientId, headers: { 'X-API-KEY': KEY } }),
      lambdaContext(),
    );
    expect(deleted.statusCode).toBe(204);
    expect(idp.clientCount()).toBe(0);
    expect((process as { namespaces?: Record<string, unknown> }).namespaces?.AWSXRay).toBeUndefined();
  });
});
