import { z } from 'zod';
import type { Exchange } from './http-exchange';
import type { Credentials } from './token-checks';
import type { VerifyContext } from './verify-context';

/** The part of a create or new-secret answer verify relies on. */
export const issuedClient = z.object({ client_id: z.string().min(1), client_secret: z.string().min(1) });

/** Any client id in a 2xx answer is remembered for the cleanup, whatever else is wrong. */
export function trackIssued(context: VerifyContext, answer: Exchange): Credentials | undefined {
  const parsed = issuedClient.safeParse(answer.body);
  if (!parsed.success || answer.status < 200 || answer.status > 299) return undefined;
  context.live.add(parsed.data.client_id);
  context.reporter.hide(parsed.data.client_secret);
  return { clientId: parsed.data.client_id, clientSecret: parsed.data.client_secret };
}
