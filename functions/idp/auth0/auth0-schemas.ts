import * as z from 'zod';

/** The parts of an Auth0 client (create, rotate-secret answers) the bridge relies on. */
export const auth0Client = z.looseObject({
  client_id: z.string().min(1),
  client_secret: z.string().min(1).optional(),
});

/** What the bridge reads of a client before acting on it: whose it is. */
export const auth0ClientOwner = z.looseObject({
  client_id: z.string().min(1),
  client_metadata: z.record(z.string(), z.unknown()).nullish(),
});

const clientGrant = z.looseObject({
  id: z.string().min(1),
  client_id: z.string(),
  audience: z.string(),
});

export type Auth0ClientGrant = z.output<typeof clientGrant>;

/** GET /client-grants answers a plain array, or `{client_grants}` with checkpoint or total paging. */
export const clientGrantList = z
  .union([z.array(clientGrant), z.looseObject({ client_grants: z.array(clientGrant) })])
  .transform((list) => (Array.isArray(list) ? list : list.client_grants));
