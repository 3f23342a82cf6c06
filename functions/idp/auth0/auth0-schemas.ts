import * as z from 'zod/mini';

/** The parts of an Auth0 client (create, rotate-secret answers) the bridge relies on. */
export const auth0Client = z.looseObject({
  client_id: z.string().check(z.minLength(1)),
  client_secret: z.optional(z.string().check(z.minLength(1))),
});

/** What the bridge reads of a client before acting on it: whose it is. */
export const auth0ClientOwner = z.looseObject({
  client_id: z.string().check(z.minLength(1)),
  client_metadata: z.nullish(z.record(z.string(), z.unknown())),
});

const clientGrant = z.looseObject({
  id: z.string().check(z.minLength(1)),
  client_id: z.string(),
  audience: z.string(),
});

export type Auth0ClientGrant = z.output<typeof clientGrant>;

const clientGrantAnswer = z.union([z.array(clientGrant), z.looseObject({ client_grants: z.array(clientGrant) })]);

/** GET /client-grants answers a plain array, or `{client_grants}` with checkpoint or total paging. */
export const clientGrantList = z.pipe(
  clientGrantAnswer,
  z.transform((list: z.output<typeof clientGrantAnswer>) => (Array.isArray(list) ? list : list.client_grants)),
);
