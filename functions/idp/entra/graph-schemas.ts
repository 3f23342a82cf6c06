import * as z from 'zod/mini';

/** The parts of a Graph `application` the bridge relies on; Graph sends many more. */
export const graphApplication = z.looseObject({
  /** The object id: addresses the application in Graph. */
  id: z.string().check(z.minLength(1)),
  /** The application (client) id: what tokens carry and what Konnect knows. */
  appId: z.string().check(z.minLength(1)),
  createdDateTime: z.nullish(z.string()),
  tags: z.nullish(z.array(z.string())),
  web: z.nullish(z.looseObject({ redirectUris: z.nullish(z.array(z.string())) })),
  passwordCredentials: z.nullish(z.array(z.looseObject({ keyId: z.string().check(z.minLength(1)) }))),
});

export type GraphApplication = z.output<typeof graphApplication>;

/** `addPassword` answer: the only time Graph ever returns `secretText`. */
export const addedPassword = z.looseObject({
  keyId: z.string().check(z.minLength(1)),
  secretText: z.string().check(z.minLength(1)),
  endDateTime: z.nullish(z.string()),
});

export type AddedPassword = z.output<typeof addedPassword>;

export const graphServicePrincipal = z.looseObject({
  id: z.string().check(z.minLength(1)),
  appId: z.string().check(z.minLength(1)),
});

/** ISO 8601 from Graph to RFC 7591 epoch seconds; undefined when absent or unreadable. */
export function epochSeconds(dateTime: string | null | undefined): number | undefined {
  if (!dateTime) return undefined;
  const ms = Date.parse(dateTime);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** appIds are GUIDs: anything else cannot name an Entra application, so Graph is not asked. */
export const isAppId = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
