import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MemoryRegistrationStore, type RegistrationSnapshot } from './memory-registration-store';

/**
 * The memory store, kept in a JSON file so `npm start` in front of a real IdP survives a restart:
 * without the stored registration access tokens (or, for Curity's dcrm mode, the records of the
 * clients the bridge created), later deletes could not reach the IdP. Local use
 * only (one process); the file holds tokens, so only its owner may read it.
 */
export function fileRegistrationStore(path: string): MemoryRegistrationStore {
  return new MemoryRegistrationStore({
    initial: readSnapshot(path),
    persist: (snapshot) => writeSnapshot(path, snapshot),
  });
}

function readSnapshot(path: string): RegistrationSnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<RegistrationSnapshot>;
  if (!Array.isArray(parsed.records) || (parsed.owned !== undefined && !Array.isArray(parsed.owned))) {
    throw new Error(`${path} is not a registration store file`);
  }
  return { records: parsed.records, owned: parsed.owned, verificationClientId: parsed.verificationClientId };
}

// Written aside and renamed, so a crash mid-write never leaves a half file behind.
function writeSnapshot(path: string, snapshot: RegistrationSnapshot): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(snapshot, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, path);
}
