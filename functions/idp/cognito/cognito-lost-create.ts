import { logger } from '../../commons/logger';
import { waitFor } from '../../commons/rate-limit';
import { compensationOperation, type OperationContext } from '../idp-adapter';
import { reasonOf, reportOrphan } from '../orphans';
import type { CognitoApi } from './cognito-api';
import { isNameOfCreation, NAME_MARKER } from './cognito-client-name';

/** Pages of 60 looked through at most: beyond the app clients a pool holds by default (guess: 1,000). */
const MAX_PAGES = 50;
/**
 * The wait before the second look after a create that got no answer at all. Guess: how long a
 * create Cognito received may take to show in ListUserPoolClients is not documented.
 */
export const RELIST_DELAY_MS = 1000;

export type LostCreate = { outcome: 'found'; clientId: string } | { outcome: 'absent' } | { outcome: 'unknown' };

/**
 * After a create that got no usable answer: whether Cognito made the app client anyway, found by
 * the creation id the bridge put in its name (API_ListUserPoolClients, paginated), within the
 * compensation window. After a 5xx answer one look decides. After no answer at all (a timeout, a
 * dropped connection) Cognito may still be committing it: a second look follows a short wait, and
 * a client still not seen is reported as a possible orphan, as when the bridge cannot look.
 */
export async function findLostCreate(
  api: CognitoApi,
  creationId: string,
  { noAnswer = false }: { noAnswer?: boolean } = {},
): Promise<LostCreate> {
  const context = compensationOperation();
  const suffix = `${NAME_MARKER}.${creationId}`;
  try {
    const first = await lookFor(api, creationId, context);
    if (first || !noAnswer) return absentOr(first, creationId);
    await waitFor(RELIST_DELAY_MS, context.signal);
    const second = await lookFor(api, creationId, context);
    if (second) return { outcome: 'found', clientId: second };
    reportOrphan(
      'cognito',
      'Orphaned client possible at Cognito: a create got no answer, and its app client is not listed (yet); look for the name suffix later and delete it',
      { client_name_suffix: suffix },
    );
    return { outcome: 'unknown' };
  } catch (error) {
    reportOrphan('cognito', 'Orphaned client possible at Cognito: a create failed and the bridge could not check', {
      client_name_suffix: suffix,
      reason: reasonOf(error),
    });
    return { outcome: 'unknown' };
  }
}

function absentOr(clientId: string | undefined, creationId: string): LostCreate {
  if (clientId) return { outcome: 'found', clientId };
  logger.info('A create failed with an answer, and Cognito holds no app client it made', { creation_id: creationId });
  return { outcome: 'absent' };
}

/** The id of the client this create made, if listed; every page. */
async function lookFor(api: CognitoApi, creationId: string, context: OperationContext): Promise<string | undefined> {
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await api.listClients(nextToken, context);
    const found = answer.UserPoolClients?.find((client) => isNameOfCreation(client.ClientName, creationId));
    if (found?.ClientId) return found.ClientId;
    nextToken = answer.NextToken;
    if (!nextToken) return undefined;
  }
  throw new Error(`more than ${MAX_PAGES} pages of app clients`);
}
