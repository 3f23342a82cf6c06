import { randomBytes } from 'node:crypto';

/** Cognito app clients have no tags or metadata: the bridge's mark is the end of the name. */
export const NAME_MARKER = 'dcr-bridge';

// API_CreateUserPoolClient: ClientName matches [\w\s+=,.@-]+, 1 to 128 characters.
const NAME_LIMIT = 128;
const OTHER_CHARACTERS = /[^\w\s+=,.@-]/g;
const FALLBACK_NAME = 'konnect-app';

/** A fresh creation id: 8 hex characters, the part of the name that finds this one create again. */
export const newCreationId = () => randomBytes(4).toString('hex');

/**
 * "<client_name cut> dcr-bridge.<creation id>": what Cognito's console shows, and how the bridge
 * finds a client whose create got no answer. The name alone proves nothing (anyone can name a
 * client so); only the registration store's record does.
 */
export function clientNameFor(clientName: string, creationId: string): string {
  const suffix = ` ${NAME_MARKER}.${creationId}`;
  const cleaned = clientName.replace(OTHER_CHARACTERS, '-').replace(/\s+/g, ' ').trim();
  const base = cleaned.slice(0, NAME_LIMIT - suffix.length).trim() || FALLBACK_NAME;
  return `${base}${suffix}`;
}

/** Whether a listed name is the one a create with this creation id sent. */
export const isNameOfCreation = (name: string | undefined, creationId: string) =>
  name?.endsWith(` ${NAME_MARKER}.${creationId}`) === true;
