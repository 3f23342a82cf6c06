import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  /** Epoch ms; undefined = never expires. */
  expiresAt: number | undefined;
}

/**
 * Minimal in-memory storage for one embedded IdP instance.
 *
 * Why our own instead of oidc-provider's MemoryAdapter: that one prints a
 * "development-only adapter" warning at start and shares a module-level store.
 * Expiry is checked lazily on read, so no timers keep the process alive.
 */
export type UpsertObserver = (model: string, id: string, payload: AdapterPayload) => void;

export function createMemoryAdapterFactory(onUpsert: UpsertObserver = () => undefined): AdapterFactory {
  const store = new Map<string, Entry>();
  const uidIndex = new Map<string, string>();
  const userCodeIndex = new Map<string, string>();
  const grantIndex = new Map<string, Set<string>>();

  const read = (key: string): AdapterPayload | undefined => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  return (model: string): Adapter => {
    const keyFor = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const key = keyFor(id);
        const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : undefined;
        store.set(key, { payload, expiresAt });
        onUpsert(model, id, payload);
        if (payload.uid) uidIndex.set(payload.uid, id);
        if (payload.userCode) userCodeIndex.set(payload.userCode, id);
        if (payload.grantId) {
          const members = grantIndex.get(payload.grantId) ?? new Set<string>();
          members.add(key);
          grantIndex.set(payload.grantId, members);
        }
      },
      async find(id) {
        return read(keyFor(id));
      },
      async findByUid(uid) {
        const id = uidIndex.get(uid);
        return id === undefined ? undefined : read(keyFor(id));
      },
      async findByUserCode(userCode) {
        const id = userCodeIndex.get(userCode);
        return id === undefined ? undefined : read(keyFor(id));
      },
      async consume(id) {
        const payload = read(keyFor(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        store.delete(keyFor(id));
      },
      async revokeByGrantId(grantId) {
        for (const key of grantIndex.get(grantId) ?? []) store.delete(key);
        grantIndex.delete(grantId);
      },
    };
  };
}
