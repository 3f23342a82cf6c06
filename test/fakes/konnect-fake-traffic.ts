import { setTimeout as sleep } from 'node:timers/promises';
import { createApplicationBody, newKonnectIds } from '../../bin/verify/konnect-bodies';
import type { FakeKonnect } from './konnect-fake';

/**
 * Konnect-style traffic through a provider's bridge: what the portal sends when developers
 * create and delete applications (NOTES: `POST /` then `DELETE /{clientId}`, header X-API-KEY),
 * always with the key Konnect holds at the moment of the call, as a key rotation changes it.
 */

export interface TrafficFailure {
  step: 'create' | 'delete';
  /** 0 when the bridge could not be reached. */
  status: number;
  at: number;
}

export interface TrafficSummary {
  /** Requests sent (creates and deletes). */
  sent: number;
  failed: number;
  failures: TrafficFailure[];
}

export interface KonnectTraffic {
  /** So far; stop() gives the final count. */
  summary(): TrafficSummary;
  /** Stops after the requests in flight, and returns the final count. */
  stop(): Promise<TrafficSummary>;
}

export interface KonnectTrafficOptions {
  /** Parallel loops of create + delete. @default 2 */
  concurrency?: number;
  /** Pause between two rounds of one loop. @default 20 */
  intervalMs?: number;
  /** Bound of one request. @default 10000 */
  timeoutMs?: number;
}

const PAGE = { timeoutMs: 10_000 };

async function call(url: string, method: 'POST' | 'DELETE', key: string, body: unknown, timeoutMs: number) {
  try {
    const answer = await fetch(url, {
      method,
      headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await answer.text();
    let parsed: { client_id?: unknown } = {};
    try {
      parsed = JSON.parse(text) as { client_id?: unknown };
    } catch {
      parsed = {};
    }
    return { status: answer.status, clientId: typeof parsed.client_id === 'string' ? parsed.client_id : undefined };
  } catch {
    return { status: 0, clientId: undefined };
  }
}

function target(fake: FakeKonnect, providerId: string) {
  const record = fake.providers.get(providerId);
  if (!record) throw new Error(`the fake Konnect has no provider ${providerId}`);
  const base = (record.provider.dcr_config.dcr_base_url ?? '').replace(/\/+$/, '');
  return { base, key: record.apiKey ?? '' };
}

/** One application created and deleted; the failures, if any. */
async function round(fake: FakeKonnect, providerId: string, timeoutMs: number): Promise<TrafficSummary> {
  const failures: TrafficFailure[] = [];
  const created = target(fake, providerId);
  const body = createApplicationBody(`traffic-${Date.now()}`, newKonnectIds(), []);
  const create = await call(`${created.base}/`, 'POST', created.key, body, timeoutMs);
  let sent = 1;
  if (create.status < 200 || create.status > 299 || !create.clientId) {
    failures.push({ step: 'create', status: create.status, at: Date.now() });
    return { sent, failed: failures.length, failures };
  }
  // Read again: Konnect may hold another key by the time the application is deleted.
  const deleting = target(fake, providerId);
  const remove = await call(
    `${deleting.base}/${encodeURIComponent(create.clientId)}`,
    'DELETE',
    deleting.key,
    undefined,
    timeoutMs,
  );
  sent += 1;
  if (remove.status < 200 || remove.status > 299)
    failures.push({ step: 'delete', status: remove.status, at: Date.now() });
  return { sent, failed: failures.length, failures };
}

/** One create + delete; resolves to the status of the first failing call, or of the create (201). */
export async function sendKonnectCreate(fake: FakeKonnect, providerId: string): Promise<number> {
  const result = await round(fake, providerId, PAGE.timeoutMs);
  return result.failures[0]?.status ?? 201;
}

export function startKonnectTraffic(
  fake: FakeKonnect,
  providerId: string,
  options: KonnectTrafficOptions = {},
): KonnectTraffic {
  const { concurrency = 2, intervalMs = 20, timeoutMs = PAGE.timeoutMs } = options;
  const total: TrafficSummary = { sent: 0, failed: 0, failures: [] };
  let running = true;
  const loop = async () => {
    while (running) {
      const result = await round(fake, providerId, timeoutMs).catch(
        (): TrafficSummary => ({ sent: 0, failed: 1, failures: [{ step: 'create', status: 0, at: Date.now() }] }),
      );
      total.sent += result.sent;
      total.failed += result.failed;
      total.failures.push(...result.failures);
      if (running) await sleep(intervalMs);
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  const snapshot = () => ({ ...total, failures: [...total.failures] });
  return {
    summary: snapshot,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return snapshot();
    },
  };
}
