import fc from 'fast-check';
import {
  CREATE_ID_FIELDS,
  description,
  displayText,
  droppedId,
  EVENT_ID_FIELDS,
  fullLengthName,
  grantTypes,
  invalidAuthMethod,
  invalidGrant,
  invalidRedirectUri,
  invalidScope,
  needsRedirect,
  oddId,
  otherAuthMethod,
  redirectUri,
  SECRET_METHODS,
  scope,
  unknownFieldName,
  unknownGrant,
} from './body-fields';
import { accepted, type ExpectedCall, type Part, refused, type Verdict } from './fuzz-case';
import {
  anyJsonValue,
  harmlessPrototypeKey,
  hasPrototypeKey,
  nonObjectJson,
  notJson,
  parses,
  pollutingValue,
  serialize,
  tenThousand,
  tooDeep,
  wrongType,
} from './hostile-values';

type Fields = Record<string, unknown>;

/** A change to some fields of a body; `touches` names them. */
type Apply = ((fields: Fields) => void) & { touches: readonly string[] };

/** One change to a valid body, and what it does to the request. */
interface Mutation {
  apply: Apply;
  verdict: Verdict;
}

const mutation = (why: string, apply: Apply, expect: Verdict['expect'] = 'refuse'): Mutation => ({
  apply,
  verdict: { expect, why },
});

const touching = (touches: readonly string[], apply: (fields: Fields) => void): Apply =>
  Object.assign(apply, { touches });
const set = (name: string, value: unknown) =>
  touching([name], (fields) => {
    fields[name] = value;
  });
const remove = (name: string) =>
  touching([name], (fields) => {
    delete fields[name];
  });
const withControlCharacter = (text: string, at: number, control: string) => {
  const index = at % (text.length + 1);
  return `${text.slice(0, index)}${control}${text.slice(index)}`;
};
const withoutRedirectGrants = (grants: unknown) =>
  (Array.isArray(grants) ? grants : []).filter((grant) => !needsRedirect([grant]));
/** Redirect URIs left out or null, and with them any grant that needs one (that refusal is its own mutation). */
const withoutRedirects = (value: null | undefined) =>
  touching(['redirect_uris', 'grant_types'], (fields) => {
    if (value === undefined) delete fields.redirect_uris;
    else fields.redirect_uris = value;
    fields.grant_types = withoutRedirectGrants(fields.grant_types);
  });
const control = fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u0008');

export interface BodyOptions {
  /** Scopes the IdP behind the bridge knows (the embedded one refuses others); any valid scope if unset. */
  scopePool?: readonly string[];
}

const createFields = ({ scopePool }: BodyOptions) =>
  fc
    .record(
      {
        client_name: fc.oneof(
          { weight: 8, arbitrary: displayText(255) },
          { weight: 1, arbitrary: fullLengthName },
          { weight: 1, arbitrary: displayText(200).map((name) => `  ${name}\u00a0`) },
        ),
        redirect_uris: fc.array(redirectUri, { maxLength: 3 }),
        grant_types: grantTypes,
        scopes: fc.array(scopePool ? fc.constantFrom(...scopePool) : scope, { maxLength: 4 }),
        token_endpoint_auth_method: fc.constantFrom(...SECRET_METHODS, '', null),
        application_description: fc.oneof(description, fc.constantFrom('', null)),
        portal_id: fc.uuid(),
        organization_id: fc.uuid(),
        developer_id: fc.uuid(),
        auth_strategy_id: fc.uuid(),
        dcr_provider_id: fc.uuid(),
        application_id: fc.uuid(),
      },
      { requiredKeys: ['client_name'] },
    )
    .map((fields): Fields => {
      // Grants that redirect need a redirect URI; the mutation below takes it away on purpose.
      if (needsRedirect(fields.grant_types ?? []) && (fields.redirect_uris ?? []).length === 0) {
        fields.redirect_uris = ['https://app.example.com/callback'];
      }
      return fields;
    });

/**
 * Mutations of one create field each. Konnect's contract is loose: only values of a wrong type,
 * invalid redirect URIs and scopes, and lists or strings past their bounds refuse; missing,
 * blank, too long or odd text, unknown auth methods and odd ids change nothing.
 */
const createMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant(mutation('client_name missing', remove('client_name'), 'accept')),
  wrongType('string').map((value) => mutation('client_name of a wrong type', set('client_name', value))),
  fc
    .constantFrom('', '   ', '\u00a0', null, '\u0000')
    .map((value) => mutation('client_name blank', set('client_name', value), 'accept')),
  fc
    .constantFrom(256, 300, 1_000_000)
    .map((length) => mutation(`client_name of ${length} characters`, set('client_name', 'n'.repeat(length)), 'accept')),
  fc
    .tuple(displayText(100), fc.nat(), control)
    .map(([name, at, c]) =>
      mutation('client_name with a control character', set('client_name', withControlCharacter(name, at, c)), 'accept'),
    ),
  fc
    .tuple(displayText(100), fc.nat(), fc.constantFrom('\u202e', '\u200b', '\u2028', '\u2029', '\ufeff'))
    .map(([name, at, c]) =>
      mutation(
        'client_name with a format or separator character',
        set('client_name', withControlCharacter(name, at, c)),
      ),
    ),
  wrongType('array').map((value) => mutation('redirect_uris not an array', set('redirect_uris', value))),
  fc
    .constantFrom(null, undefined)
    .map((value) =>
      mutation(`redirect_uris ${value === null ? 'null' : 'left out'}`, withoutRedirects(value), 'accept'),
    ),
  fc
    .array(redirectUri, { minLength: 21, maxLength: 30 })
    .map((uris) => mutation('more than 20 redirect_uris', set('redirect_uris', uris))),
  tenThousand.map((items) => mutation('10,000 redirect_uris', set('redirect_uris', items))),
  fc.tuple(fc.array(redirectUri, { maxLength: 3 }), invalidRedirectUri, fc.nat()).map(([uris, bad, at]) => {
    const list = [...uris];
    list.splice(at % (list.length + 1), 0, bad);
    return mutation('an invalid redirect URI', set('redirect_uris', list));
  }),
  fc
    .oneof(fc.integer(), fc.boolean(), fc.constant({}))
    .map((value) => mutation('grant_types not a list or a string', set('grant_types', value))),
  fc
    .tuple(grantTypes, invalidGrant)
    .map(([grants, bad]) =>
      mutation('a grant type that is no string', set('grant_types', [...grants.slice(0, 9), bad])),
    ),
  fc
    .tuple(grantTypes, unknownGrant)
    .map(([grants, other]) =>
      mutation(
        'an unknown auth method (ignored)',
        set('grant_types', [...withoutRedirectGrants(grants).slice(0, 9), other]),
        'accept',
      ),
    ),
  fc
    .constantFrom('client_credentials', 'bearer', 'password', null)
    .map((value) => mutation('grant_types as one string or null', set('grant_types', value), 'accept')),
  fc
    .array(fc.constantFrom('client_credentials', 'bearer'), { minLength: 51, maxLength: 60 })
    .map((grants) => mutation('more than 50 grant_types', set('grant_types', grants))),
  tenThousand.map((items) => mutation('10,000 grant_types', set('grant_types', items))),
  fc.constantFrom('authorization_code', 'refresh_token', 'implicit').map((grant) =>
    mutation(
      `${grant} without a redirect URI`,
      touching(['grant_types', 'redirect_uris'], (fields) => {
        fields.grant_types = [grant];
        fields.redirect_uris = [];
      }),
    ),
  ),
  fc
    .oneof(fc.integer(), fc.boolean(), fc.constant({}))
    .map((value) => mutation('scopes not a list or a string', set('scopes', value))),
  fc
    .array(scope, { maxLength: 3 })
    .map((list) => mutation('scopes as one space-separated string', set('scopes', list.join(' ')), 'accept')),
  fc
    .tuple(fc.array(scope, { maxLength: 3 }), invalidScope)
    .map(([list, bad]) => mutation('an invalid scope', set('scopes', [...list, bad]))),
  fc.array(scope, { minLength: 51, maxLength: 60 }).map((list) => mutation('more than 50 scopes', set('scopes', list))),
  tenThousand.map((items) => mutation('10,000 scopes', set('scopes', items))),
  invalidAuthMethod.map((value) =>
    mutation('a token_endpoint_auth_method of a wrong type or too long', set('token_endpoint_auth_method', value)),
  ),
  otherAuthMethod.map((value) =>
    mutation(
      'another token_endpoint_auth_method (client_secret_basic used)',
      set('token_endpoint_auth_method', value),
      'accept',
    ),
  ),
  fc
    .oneof(
      fc.constant('d'.repeat(1001)),
      fc.constant('d'.repeat(100_000)),
      fc.tuple(description, fc.nat(), control).map(([d, at, c]) => withControlCharacter(d, at, c)),
    )
    .map((value) =>
      mutation(
        'application_description too long or with a control character',
        set('application_description', value),
        'accept',
      ),
    ),
  fc
    .oneof(fc.integer(), fc.constant([]), fc.constant({}))
    .map((value) => mutation('application_description of a wrong type', set('application_description', value))),
  fc
    .tuple(fc.constantFrom(...CREATE_ID_FIELDS), fc.oneof(droppedId, oddId))
    .map(([field, value]) => mutation(`${field} not a UUID (kept or dropped)`, set(field, value), 'accept')),
  // Optional fields Konnect may leave out: nothing changes.
  fc
    .constantFrom(...CREATE_ID_FIELDS, 'application_description', 'token_endpoint_auth_method', 'grant_types', 'scopes')
    .map((field) => mutation(`${field} left out`, remove(field), 'accept')),
);

const eventType = fc.oneof(
  { weight: 3, arbitrary: fc.constant('update_application') },
  { weight: 2, arbitrary: fc.constantFrom('add_registration', 'remove_registration') },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom('delete_application', 'Update_Application', 'update_application '),
        fc.string({ minLength: 1, maxLength: 100 }),
      )
      .filter((type) => !['update_application', 'add_registration', 'remove_registration'].includes(type)),
  },
);

const CALL_OF: Record<string, ExpectedCall> = {
  update_application: 'updateRedirectUris',
  add_registration: 'addRegistration',
  remove_registration: 'removeRegistration',
};
// Own keys only: an event_type of "toString" is an unknown event, not Object.prototype.toString.
export const callOfEvent = (type: string): ExpectedCall =>
  Object.hasOwn(CALL_OF, type) ? (CALL_OF[type] ?? 'none') : 'none';

/**
 * The call an event body leads to: none for an update without redirect URIs (a missing list must
 * never wipe the IdP's) or a registration without an API product version (acknowledged).
 */
function callOfEventBody(type: string, body: string | null): ExpectedCall {
  const call = callOfEvent(type);
  const fields = body !== null && parses(body) ? (JSON.parse(body) as Record<string, unknown> | null) : null;
  if (typeof fields !== 'object' || fields === null) return call;
  if (call === 'updateRedirectUris' && fields.redirect_uris == null) return 'none';
  const noVersion = fields.api_product_version_id == null || fields.api_product_version_id === '';
  if ((call === 'addRegistration' || call === 'removeRegistration') && noVersion) return 'none';
  return call;
}

const eventFields = (clientId: string) =>
  fc
    .record(
      {
        event_type: eventType,
        application_id: fc.uuid(),
        application_name: displayText(255),
        application_description: description,
        portal_id: fc.uuid(),
        organization_id: fc.uuid(),
        developer_id: fc.uuid(),
        auth_strategy_id: fc.uuid(),
        dcr_provider_id: fc.uuid(),
        redirect_uris: fc.array(redirectUri, { maxLength: 3 }),
        api_product_version_id: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 255 })),
        audience: fc.oneof(fc.webUrl(), fc.string({ maxLength: 50 })),
      },
      { requiredKeys: ['event_type', 'redirect_uris', 'api_product_version_id'] },
    )
    .map((fields): Fields => {
      const { event_type, redirect_uris, api_product_version_id, audience, ...common } = fields;
      const specific =
        event_type === 'update_application'
          ? { redirect_uris }
          : event_type === 'add_registration' || event_type === 'remove_registration'
            ? { api_product_version_id, ...(audience !== undefined && { audience }) }
            : {};
      return { event_type, client_id: clientId, ...common, ...specific };
    });

/** Mutations of an event hook; a type's own fields only matter for that type. */
const eventMutation = (type: string): fc.Arbitrary<Mutation> => {
  const forType = (types: string[], why: string, apply: Apply) =>
    mutation(why, apply, types.includes(type) ? 'refuse' : 'accept');
  const registration = ['add_registration', 'remove_registration'];
  return fc.oneof(
    fc.constant(mutation('event_type missing', remove('event_type'))),
    fc
      .oneof(wrongType('string'), fc.constant(null))
      .map((value) => mutation('event_type of a wrong type', set('event_type', value))),
    fc
      .constantFrom('', 'e'.repeat(101))
      .map((value) => mutation('event_type empty or too long', set('event_type', value))),
    fc.constant(mutation('client_id missing', remove('client_id'))),
    wrongType('string').map((value) => mutation('client_id of a wrong type', set('client_id', value))),
    fc.constantFrom('someone-else', 'client-1', '', 'c'.repeat(256)).map((value) =>
      mutation(
        'client_id not the one in the path',
        touching(['client_id'], (fields) => {
          fields.client_id = fields.client_id !== value ? value : `${value}x`;
        }),
      ),
    ),
    fc
      .tuple(fc.constantFrom(...EVENT_ID_FIELDS), fc.oneof(droppedId, oddId))
      .map(([field, value]) => mutation(`${field} not a UUID (kept or dropped)`, set(field, value), 'accept')),
    fc
      .oneof(
        fc.constant('a'.repeat(256)),
        fc.tuple(displayText(50), fc.nat(), control).map(([n, at, c]) => withControlCharacter(n, at, c)),
        fc.constantFrom('', null),
      )
      .map((value) =>
        mutation('application_name long, blank or with a control character', set('application_name', value), 'accept'),
      ),
    fc
      .tuple(fc.constantFrom('application_name', 'application_description'), fc.oneof(fc.integer(), fc.constant({})))
      .map(([field, value]) => mutation(`${field} not text`, set(field, value))),
    // Acknowledged without an IdP call (eventBody works out the call from the final body).
    fc.constant(mutation('redirect_uris missing', remove('redirect_uris'), 'accept')),
    fc
      .constantFrom(null, undefined)
      .map((value) =>
        mutation(`redirect_uris ${value === null ? 'null' : 'left out'}`, withoutRedirects(value), 'accept'),
      ),
    fc
      .oneof(
        wrongType('array'),
        invalidRedirectUri.map((uri) => [uri]),
        fc.array(redirectUri, { minLength: 21, maxLength: 25 }),
        tenThousand,
      )
      .map((value) => forType(['update_application'], 'redirect_uris invalid', set('redirect_uris', value))),
    fc.constant(mutation('api_product_version_id missing', remove('api_product_version_id'), 'accept')),
    fc
      .constantFrom('', null)
      .map((value) => mutation('api_product_version_id empty', set('api_product_version_id', value), 'accept')),
    fc
      .oneof(fc.constant('v'.repeat(256)), wrongType('string'))
      .map((value) =>
        forType(registration, 'api_product_version_id too long or not text', set('api_product_version_id', value)),
      ),
    fc
      .oneof(fc.constant('a'.repeat(2001)), wrongType('string'))
      .map((value) => forType(registration, 'audience too long or not text', set('audience', value))),
  );
};

/** Fields nobody validates: they must change nothing, whatever they hold (short of a prototype key). */
const unknownFields = (known: readonly string[]) =>
  fc.array(
    fc.tuple(
      fc.oneof(unknownFieldName, harmlessPrototypeKey).filter((name) => !known.includes(name)),
      anyJsonValue,
    ),
    { maxLength: 3 },
  );

/** How the valid (or mutated) object becomes body text; some ways make it invalid on their own. */
const bodyShape = (clean: boolean): fc.Arbitrary<(fields: Fields) => Part<string | null>> =>
  clean
    ? fc.constant((fields: Fields) => accepted(serialize(fields)))
    : fc.oneof(
        { weight: 20, arbitrary: fc.constant((fields: Fields) => accepted(serialize(fields))) },
        {
          weight: 2,
          arbitrary: fc.constant((fields: Fields) => accepted(serialize(fields, 2), 'pretty-printed JSON')),
        },
        { weight: 1, arbitrary: notJson.map((text) => () => refused<string | null>(text, 'a body that is not JSON')) },
        {
          weight: 1,
          arbitrary: nonObjectJson.map((text) => () => refused<string | null>(text, 'JSON that is not an object')),
        },
        { weight: 1, arbitrary: fc.constant(() => refused<string | null>(null, 'no body')) },
        {
          weight: 1,
          arbitrary: fc.tuple(fc.constantFrom('a', 'nested'), pollutingValue).map(
            ([where, value]) =>
              (fields: Fields) =>
                refused<string | null>(
                  serialize(where === 'a' ? { ...fields, x: value } : { ...fields, metadata: { deep: [value] } }),
                  'a prototype-pollution key',
                ),
          ),
        },
        {
          weight: 1,
          arbitrary: fc.tuple(fc.constantFrom('extra', 'client_name', 'redirect_uris'), tooDeep).map(
            ([field, value]) =>
              (fields: Fields) =>
                refused<string | null>(serialize({ ...fields, [field]: value }), 'nesting too deep to parse safely'),
          ),
        },
      );

function assemble(
  base: Fields,
  mutations: Mutation[],
  extra: Array<[string, unknown]>,
  shape: (fields: Fields) => Part<string | null>,
): Part<string | null> {
  // A later change to a field replaces an earlier one, verdict and all.
  const effective = mutations.filter(
    (mutation, index) =>
      !mutations
        .slice(index + 1)
        .some((later) => later.apply.touches.some((name) => mutation.apply.touches.includes(name))),
  );
  const fields = structuredClone(base);
  for (const { apply } of effective) apply(fields);
  // Defined, not assigned: a "constructor" key must stay plain data, as JSON.parse makes it.
  for (const [name, value] of extra)
    Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
  const body = shape(fields);
  const verdicts = [...effective.map((m) => m.verdict), ...body.verdicts];
  if (typeof body.value === 'string' && parses(body.value) && hasPrototypeKey(body.value)) {
    verdicts.push({ expect: 'refuse', why: 'a prototype key in a generated value' });
  }
  return { value: body.value, verdicts };
}

const someMutations = (arbitrary: fc.Arbitrary<Mutation>, clean: boolean) =>
  clean
    ? fc.constant<Mutation[]>([])
    : fc.oneof(
        { weight: 3, arbitrary: fc.constant<Mutation[]>([]) },
        { weight: 2, arbitrary: fc.array(arbitrary, { minLength: 1, maxLength: 2 }) },
      );

/** The create body: Konnect's fields, then mutations, unknown fields and a body shape. */
export const createBody = (options: BodyOptions = {}, clean = false): fc.Arbitrary<Part<string | null>> =>
  fc
    .tuple(createFields(options), someMutations(createMutation, clean), unknownFields(CREATE_KNOWN), bodyShape(clean))
    .map(([base, mutations, extra, shape]) => assemble(base, mutations, extra, shape));

const CREATE_KNOWN = [
  'client_name',
  'redirect_uris',
  'grant_types',
  'scopes',
  'token_endpoint_auth_method',
  'application_description',
  ...CREATE_ID_FIELDS,
];
const EVENT_KNOWN = [
  'event_type',
  'client_id',
  'application_name',
  'application_description',
  'redirect_uris',
  'api_product_version_id',
  'audience',
  ...EVENT_ID_FIELDS,
];

export interface EventBody extends Part<string | null> {
  call: ExpectedCall;
}

/** An event hook body for the client id in the path, and the adapter call it leads to. */
export const eventBody = (clientId: string, clean = false): fc.Arbitrary<EventBody> =>
  eventFields(clientId).chain((base) => {
    const type = String(base.event_type);
    return fc
      .tuple(someMutations(eventMutation(type), clean), unknownFields(EVENT_KNOWN), bodyShape(clean))
      .map(([mutations, extra, shape]) => {
        const body = assemble(base, mutations, extra, shape);
        return { ...body, call: callOfEventBody(type, body.value) };
      });
  });

/** Whatever a body-less route gets: it must not matter. */
export const ignoredBody: fc.Arbitrary<string | null> = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  notJson,
  nonObjectJson,
  anyJsonValue.map((value) => serialize({ value })),
  pollutingValue.map((value) => serialize(value)),
  tooDeep.map((value) => serialize(value)),
);
