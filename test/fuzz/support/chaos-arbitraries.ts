import type { APIGatewayProxyEvent } from 'aws-lambda';
import fc from 'fast-check';
import { AUTH_METHODS, redirectUri, scope } from './body-fields';
import { invalidClientId, validClientId } from './client-id-parts';
import { type FuzzCase, withDescription } from './fuzz-case';
import { fuzzEvent } from './fuzz-event';
import { anyCase, wrongKey } from './header-parts';
import { anyJsonValue, notJson, oddString, serialize } from './hostile-values';

export interface ChaosCase {
  fuzzCase: FuzzCase;
  event: APIGatewayProxyEvent;
}

const TEMPLATES = ['/', '/{clientId}', '/{clientId}/new-secret', '/{clientId}/event-hook'];

/** A value for a known field: sometimes right, mostly anything. */
const fieldValue = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof(good, anyJsonValue, oddString, fc.array(fc.oneof(good, anyJsonValue), { maxLength: 4 }));

/** Objects with the contract's field names and arbitrary values, to reach past the first checks. */
const fieldSoup = (clientId: string) =>
  fc.record(
    {
      client_name: fieldValue(fc.string({ maxLength: 30 })),
      redirect_uris: fieldValue(fc.array(redirectUri, { maxLength: 3 })),
      grant_types: fieldValue(fc.array(fc.constantFrom(...AUTH_METHODS), { maxLength: 3 })),
      scopes: fieldValue(fc.array(scope, { maxLength: 3 })),
      token_endpoint_auth_method: fieldValue(fc.constantFrom('client_secret_basic', 'none')),
      application_description: fieldValue(fc.string({ maxLength: 30 })),
      portal_id: fieldValue(fc.uuid()),
      event_type: fieldValue(fc.constantFrom('update_application', 'add_registration', 'remove_registration', 'x')),
      client_id: fieldValue(fc.constant(clientId)),
      api_product_version_id: fieldValue(fc.uuid()),
      audience: fieldValue(fc.webUrl()),
      application_name: fieldValue(fc.string({ maxLength: 30 })),
    },
    { requiredKeys: [] },
  );

/**
 * Events nobody would design: any method, resource, path parameters, headers and body, mixed with
 * enough of the real thing (the key, JSON, field names) to get past the first checks now and then.
 * Nothing is expected of them but the safety properties.
 */
export const chaosCase = (apiKey: string): fc.Arbitrary<ChaosCase> =>
  fc
    .record({
      // The four real method and resource pairs half of the time, anything the other half.
      route: fc.oneof(
        fc.constantFrom(
          ['POST', '/'],
          ['DELETE', '/{clientId}'],
          ['POST', '/{clientId}/new-secret'],
          ['POST', '/{clientId}/event-hook'],
        ),
        fc.tuple(
          fc.oneof(
            fc.constantFrom('POST', 'DELETE', 'GET', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'post'),
            fc.string({ maxLength: 10 }),
          ),
          fc.oneof(fc.constantFrom(...TEMPLATES), fc.string({ maxLength: 30 })),
        ),
      ),
      clientId: fc.oneof(
        { weight: 3, arbitrary: validClientId },
        { weight: 1, arbitrary: invalidClientId },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
      ),
      pathParameters: fc.constantFrom('clientId', 'clientId', 'none', 'other', 'extra'),
      // The real key and JSON most of the time, or nothing gets past the first checks.
      withKey: fc.nat(4).map((n) => n > 0),
      withJson: fc.nat(4).map((n) => n > 0),
      headers: fc.array(
        fc.tuple(
          fc.oneof(anyCase('X-API-KEY'), anyCase('Content-Type'), fc.string({ unit: 'binary', maxLength: 20 })),
          fc.oneof(
            fc.constant(apiKey),
            wrongKey,
            fc.constantFrom('application/json', 'text/plain', ''),
            fc.string({ unit: 'binary', maxLength: 40 }),
          ),
        ),
        { maxLength: 4 },
      ),
      headersNull: fc.nat(19).map((n) => n === 0),
      base64: fc.nat(19).map((n) => n === 0),
    })
    .chain((parts) =>
      fc
        .oneof(
          fc.constant(null),
          notJson,
          anyJsonValue.map((value) => serialize(value)),
          fieldSoup(parts.clientId).map((fields) => serialize(fields)),
          fieldSoup(parts.clientId).map((fields) => serialize(fields)),
        )
        .map((body): ChaosCase => {
          const [method, resource] = parts.route;
          const fuzzCase = withDescription({
            route: 'create',
            method,
            resource,
            clientId: parts.pathParameters === 'clientId' ? parts.clientId : undefined,
            rawPath: '/',
            headers: [
              ...parts.headers,
              ...(parts.withKey ? [['X-API-KEY', apiKey] as [string, string]] : []),
              ...(parts.withJson ? [['Content-Type', 'application/json'] as [string, string]] : []),
            ],
            body,
            verdicts: [{ expect: 'either', why: 'chaos' }],
            call: 'none',
          });
          const event = fuzzEvent(fuzzCase);
          if (parts.pathParameters === 'other') event.pathParameters = { id: parts.clientId };
          if (parts.pathParameters === 'extra') event.pathParameters = { clientId: parts.clientId, proxy: '../x' };
          if (parts.headersNull) {
            (event as { headers: unknown }).headers = null;
            (event as { multiValueHeaders: unknown }).multiValueHeaders = null;
          }
          if (parts.base64 && body !== null) {
            event.isBase64Encoded = true;
            event.body = Buffer.from(body, 'utf8').toString('base64');
          }
          return { fuzzCase, event };
        }),
    );
