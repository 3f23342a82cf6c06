import * as z from 'zod/mini';
import { CONTROL_CHARACTERS } from '../commons/control-characters';

/** Konnect's ids, as named in its create and event hook bodies (and in the bridge's log keys). */
export const KONNECT_ID_FIELDS = [
  'portal_id',
  'organization_id',
  'developer_id',
  'auth_strategy_id',
  'dcr_provider_id',
  'application_id',
] as const;
export type KonnectIdField = (typeof KONNECT_ID_FIELDS)[number];
export type KonnectIdValues = { readonly [Field in KonnectIdField]?: string };

/** Konnect ids are only logged (and kept on the client where a vendor has a place): any short printable text. */
export function isKonnectId(value: unknown): value is string {
  return (
    typeof value === 'string' && value.length >= 1 && value.length <= 255 && value.search(CONTROL_CHARACTERS) === -1
  );
}

/**
 * Not UUIDs: Konnect's "Verify" sends `"test portal_id"`. An id that is no printable text is
 * dropped rather than refused (see droppedKonnectIds), since nothing depends on it.
 */
export const konnectIdField = z.optional(
  z.pipe(
    z.unknown(),
    z.transform((value: unknown) => (isKonnectId(value) ? value : undefined)),
  ),
);

/** The Konnect ids a body holds but that were dropped for not being printable text. */
export function droppedKonnectIds(body: unknown): string[] {
  const values = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return KONNECT_ID_FIELDS.filter((field) => values[field] != null && !isKonnectId(values[field]));
}

/** The ids as log keys (their own names); absent ones stay out of the log line. */
export const konnectIdLogKeys = (ids: KonnectIdValues): KonnectIdValues =>
  Object.fromEntries(KONNECT_ID_FIELDS.map((field) => [field, ids[field]]));

/** Every Konnect id as an optional, dropped-when-odd field: spread into the create and event hook bodies. */
export const konnectIdFields = Object.fromEntries(KONNECT_ID_FIELDS.map((field) => [field, konnectIdField])) as {
  readonly [Field in KonnectIdField]: typeof konnectIdField;
};
