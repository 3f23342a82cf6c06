import { logger } from '../../commons/logger';
import { compensationOperation } from '../idp-adapter';
import { reasonOf, reportOrphan } from '../orphans';
import type { CognitoApi } from './cognito-api';
import { isNameOfCreation, NAME_MARKER } from './cognito-client-name';

/** Pages of 60 looked through at most: beyond the app clients a pool holds by default (guess: 1,000). */
const MAX_PAGES = 50;

export type LostCreate = { outcome: 'found'; clientId: string } | { outcome: 'absent' } | { outcome: 'unknown' };

/**
 * After a create that got no answer: whether Cognito made the app client anyway, found by the
 * creation id the bridge put in its name (API_ListUserPoolClients, paginated). Within the
 * compensation window; when the bridge cannot tell, the possible orphan is reported with the
 * name to look for.
 */
export async function findLostCreate(api: CognitoApi, creationId: string): Promise<LostCreate> {
  const context = compensationOperation();
  let nextToken: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const answer = await api.listClients(nextToken, context);
      const found = answer.UserPoolClients?.find((client) => isNameOfCreation(client.ClientName, creationId));
      if (found?.ClientId) return { outcome: 'found', clientId: found.ClientId };
      nextToken = answer.NextToken;
      if (!nextToken) {
        logger.info('A create failed, and Cognito holds no app client it made', { creation_id: creationId });
        return { outcome: 'absent' };
      }
    }
    throw new Error(`more than ${MAX_PAGES} pages of app clients`);
  } catch (error) {
    reportOrphan('cognito', 'Orphaned client possible at Cognito: a create failed and the bridge could not check', {
      client_name_suffix: `${NAME_MARKER}.${creationId}`,
      reason: reasonOf(error),
    });
    return { outcome: 'unknown' };
  }
}
