import fc from 'fast-check';
import { type BodyOptions, createBody, eventBody, ignoredBody } from './body-parts';
import { clientIdInPath } from './client-id-parts';
import {
  accepted,
  type ExpectedCall,
  either,
  type FuzzCase,
  type Mode,
  type Part,
  type RouteName,
  refused,
  type Transport,
  type Verdict,
  validOr,
  withDescription,
} from './fuzz-case';
import { contentTypeHeader, keyHeader, noiseHeaders } from './header-parts';

export interface CaseOptions extends BodyOptions {
  transport: Transport;
  /** The Konnect key the bridge accepts. */
  apiKey: string;
  /** Client ids the IdP knows, drawn now and then so that valid calls reach real clients. */
  knownIds?: readonly string[];
}

interface RouteShape {
  method: 'POST' | 'DELETE';
  resource: string;
  /** After the client id; null for the route without one. */
  suffix: string | null;
  call: ExpectedCall;
}

export const ROUTES: Record<RouteName, RouteShape> = {
  create: { method: 'POST', resource: '/', suffix: null, call: 'createClient' },
  delete: { method: 'DELETE', resource: '/{clientId}', suffix: '', call: 'deleteClient' },
  rotate: { method: 'POST', resource: '/{clientId}/new-secret', suffix: '/new-secret', call: 'rotateSecret' },
  event: { method: 'POST', resource: '/{clientId}/event-hook', suffix: '/event-hook', call: 'none' },
};

const TEMPLATES = Object.values(ROUTES).map((route) => route.resource);

/** Local server limits, past which it refuses before the handler (API Gateway has its own). */
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;

function methodPart(shape: RouteShape, mode: Mode): fc.Arbitrary<Part<string>> {
  const other = shape.method === 'POST' ? 'DELETE' : 'POST';
  const common = ['GET', 'PUT', 'PATCH', 'HEAD', 'OPTIONS', other, shape.method.toLowerCase()];
  const wrong =
    mode.transport === 'event'
      ? fc.oneof(fc.constantFrom(...common, 'TRACE', 'CONNECT', 'post ', ''), fc.string({ maxLength: 12 }))
      : fc.constantFrom(...common, 'PROPFIND', 'FOO', 'CONNECT', 'TRACE');
  return validOr(mode, fc.constant(accepted(shape.method)), 14, {
    weight: 1,
    arbitrary: wrong.filter((method) => method !== shape.method).map((m) => refused(m, `method ${m}`)),
  });
}

/** Resource templates API Gateway never matches for this bridge (it only has the four). */
const resourcePart = (mode: Mode): fc.Arbitrary<Part<string> | undefined> =>
  validOr(mode, fc.constant(undefined), 14, {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom(
          '/{clientId}/new-secret/',
          '/{proxy+}',
          '/{clientId}/NEW-SECRET',
          '/{clientId}/rotate',
          '',
          '/{clientId}/event-hook/x',
        ),
        fc.string({ maxLength: 30 }),
      )
      .filter((resource) => !TEMPLATES.includes(resource))
      .map((resource) => refused(resource, `resource ${JSON.stringify(resource)}`)),
  });

/** How the path around the client id can be bent over HTTP. */
function pathPart(shape: RouteShape, mode: Mode): fc.Arbitrary<(segment: string) => Part<string>> {
  const build = (segment: string) => (shape.suffix === null ? '/' : `/${segment}${shape.suffix}`);
  const variants: Array<fc.Arbitrary<(segment: string) => Part<string>>> = [
    fc.constant((segment: string) => refused(`${build(segment)}/`, 'a trailing slash')),
    fc.constant((segment: string) => refused(`/${build(segment)}`, 'a leading double slash')),
    fc
      .constantFrom('//evil.example', '//[', '//user@evil.example', 'http://[x')
      .map((prefix) => (segment: string) => refused(`${prefix}${build(segment)}`, `${prefix} before the path`)),
    fc.constant((segment: string) => refused(`/x/..${build(segment)}`, 'a dot segment')),
    fc
      .constantFrom('?a=1', '?client_id=other&redirect_uris=x', '?X-API-KEY=konnect_wrong_query', '?%zz=%00')
      .map((query) => (segment: string) => accepted(`${build(segment)}${query}`, 'a query string')),
    fc.constant((segment: string) => either(`${build(segment)}#fragment`, 'a fragment in the request target')),
  ];
  if (shape.suffix) {
    const suffix = shape.suffix;
    variants.push(
      fc
        .constantFrom(suffix.toUpperCase(), suffix.replace('-', '%2D'), `${suffix}x`, suffix.replace('/', '//'))
        .map((bent) => (segment: string) => refused(`/${segment}${bent}`, `suffix ${bent}`)),
    );
  }
  return validOr(
    mode,
    fc.constant((segment: string) => accepted(build(segment))),
    14,
    { weight: 2, arbitrary: fc.oneof(...variants) },
  );
}

const inProcessPathParameters = (mode: Mode) =>
  validOr(mode, fc.constant(true), 14, { weight: 1, arbitrary: fc.constant(false) });

function combineHeaders(parts: Array<Part<Array<[string, string]>>>, noiseFirst: boolean) {
  const [noise, ...rest] = parts as [Part<Array<[string, string]>>, ...Array<Part<Array<[string, string]>>>];
  const ordered = noiseFirst ? [noise, ...rest] : [...rest, noise];
  return { value: ordered.flatMap((part) => part.value), verdicts: ordered.flatMap((part) => part.verdicts) };
}

/** Limits the local HTTP server applies to the whole request. */
function httpLimits(rawPath: string, headers: Array<[string, string]>, body: string | null): Verdict[] {
  const verdicts: Verdict[] = [];
  if (body !== null && Buffer.byteLength(body) > MAX_BODY_BYTES) {
    verdicts.push({ expect: 'refuse', why: 'a body over the local server’s 1 MiB' });
  }
  const headerBytes = headers.reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value) + 4,
    200 + Buffer.byteLength(rawPath),
  );
  if (headerBytes > MAX_HEADER_BYTES + 512) verdicts.push({ expect: 'refuse', why: 'headers over 16 KiB' });
  else if (headerBytes > MAX_HEADER_BYTES - 1024) verdicts.push({ expect: 'either', why: 'headers near 16 KiB' });
  return verdicts;
}

/** One request to one of the four routes, valid or bent in the ways the parts describe. */
export function routeCase(route: RouteName, options: CaseOptions, clean = false): fc.Arbitrary<FuzzCase> {
  const shape = ROUTES[route];
  const { transport } = options;
  const mode: Mode = { transport, clean };
  const hasBody = route === 'create' || route === 'event';
  const id =
    shape.suffix === null
      ? fc.constant(accepted({ clientId: undefined as string | undefined, segment: '' }))
      : clientIdInPath(mode, options.knownIds);
  return fc
    .record({
      method: methodPart(shape, mode),
      resource: resourcePart(mode),
      path: pathPart(shape, mode),
      withPathParameters: inProcessPathParameters(mode),
      id,
      key: keyHeader(options.apiKey, mode),
      contentType: hasBody ? contentTypeHeader(mode) : fc.constant(accepted<Array<[string, string]>>([])),
      noise: noiseHeaders(mode, { allowContentType: !hasBody }),
      noiseFirst: fc.boolean(),
    })
    .chain((parts) => {
      const clientId = parts.id.value.clientId;
      const body: fc.Arbitrary<Part<string | null> & { call?: ExpectedCall }> =
        route === 'create'
          ? createBody(options, clean)
          : route === 'event'
            ? eventBody(clientId ?? '', clean)
            : ignoredBody.map((value) => accepted(value));
      return body.map((bodyPart) => {
        const headers = combineHeaders([parts.noise, parts.key, parts.contentType], parts.noiseFirst);
        const path = parts.path(parts.id.value.segment);
        const verdicts: Verdict[] = [
          ...parts.method.verdicts,
          ...parts.id.verdicts,
          ...headers.verdicts,
          ...bodyPart.verdicts,
        ];
        let resource = shape.resource;
        let pathClientId = clientId;
        if (transport === 'event') {
          if (parts.resource) {
            resource = parts.resource.value;
            verdicts.push(...parts.resource.verdicts);
          }
          if (shape.suffix !== null && !parts.withPathParameters) {
            pathClientId = undefined;
            verdicts.push({ expect: 'refuse', why: 'no path parameters' });
          }
        } else {
          verdicts.push(...path.verdicts, ...httpLimits(path.value, headers.value, bodyPart.value));
        }
        return withDescription({
          route,
          method: parts.method.value,
          resource,
          clientId: pathClientId,
          rawPath: path.value,
          headers: headers.value,
          body: bodyPart.value,
          verdicts,
          call: bodyPart.call ?? shape.call,
        });
      });
    });
}

const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[];

/** Requests spread over the four routes: a third clean (valid), the rest bent in any number of ways. */
export const anyRouteCase = (options: CaseOptions) =>
  fc.oneof(
    ...ROUTE_NAMES.map((route) => ({ weight: 1, arbitrary: routeCase(route, options, true) })),
    ...ROUTE_NAMES.map((route) => ({ weight: 2, arbitrary: routeCase(route, options) })),
  );
