import { callBridge, requestToken } from '../../support/konnect-client';

/** The steps of one application's life, in order; each is timed. */
export const STEPS = ['create', 'token', 'rotate', 'old secret refused', 'new secret works', 'delete'] as const;
export type Step = (typeof STEPS)[number];

export interface LifecycleTarget {
  bridgeUrl: string;
  apiKey: string;
  /** The IdP's token endpoint, where the issued credentials must work. */
  tokenEndpoint: string;
}

export interface LifecycleResult {
  timings: Array<{ step: Step; ms: number }>;
}

/** A step that did not go as Konnect and the developer expect; never carries a secret. */
export class LifecycleError extends Error {
  constructor(
    readonly step: Step,
    detail: string,
  ) {
    super(`${step}: ${detail}`);
    this.name = 'LifecycleError';
  }
}

const describe = (status: number, body: Record<string, unknown>) =>
  `answered ${status}${typeof body.error === 'string' ? ` ${body.error}` : ''}`;

/**
 * What a Konnect application goes through: created, its credentials used at the IdP, its secret
 * rotated (the old one must stop working, the new one must work), deleted. A lifecycle that
 * fails after the create still deletes its client, so a failed step is not also counted as a leak.
 */
export async function runLifecycle(target: LifecycleTarget, index: number): Promise<LifecycleResult> {
  const timings: LifecycleResult['timings'] = [];
  const timed = async <T>(step: Step, action: () => Promise<T>): Promise<T> => {
    const startedAt = performance.now();
    const result = await action();
    timings.push({ step, ms: performance.now() - startedAt });
    return result;
  };
  const bridge = (method: 'POST' | 'DELETE', path: string, json?: unknown) =>
    callBridge(target.bridgeUrl, method, path, { key: target.apiKey, json });

  const created = await timed('create', () =>
    bridge('POST', '/', {
      client_name: `Load App ${index}`,
      redirect_uris: [],
      grant_types: ['client_credentials', 'bearer'],
      scopes: ['read'],
      token_endpoint_auth_method: 'client_secret_basic',
      application_description: '',
    }),
  );
  const { client_id: clientId, client_secret: firstSecret } = created.body;
  if (created.status !== 201 || typeof clientId !== 'string' || typeof firstSecret !== 'string') {
    throw new LifecycleError('create', describe(created.status, created.body));
  }
  const path = `/${encodeURIComponent(clientId)}`;
  try {
    const token = await timed('token', () => requestToken(target.tokenEndpoint, clientId, firstSecret));
    if (token.status !== 200 || typeof token.body.access_token !== 'string') {
      throw new LifecycleError('token', describe(token.status, token.body));
    }
    const rotated = await timed('rotate', () => bridge('POST', `${path}/new-secret`));
    const newSecret = rotated.body.client_secret;
    if (rotated.status !== 200 || typeof newSecret !== 'string' || newSecret === firstSecret) {
      throw new LifecycleError('rotate', describe(rotated.status, rotated.body));
    }
    const old = await timed('old secret refused', () => requestToken(target.tokenEndpoint, clientId, firstSecret));
    if (old.status !== 401) throw new LifecycleError('old secret refused', describe(old.status, old.body));
    const renewed = await timed('new secret works', () => requestToken(target.tokenEndpoint, clientId, newSecret));
    if (renewed.status !== 200) throw new LifecycleError('new secret works', describe(renewed.status, renewed.body));
  } catch (error) {
    await bridge('DELETE', path).catch(() => undefined);
    throw error;
  }
  const deleted = await timed('delete', () => bridge('DELETE', path));
  if (deleted.status !== 204) throw new LifecycleError('delete', describe(deleted.status, deleted.body));
  return { timings };
}
