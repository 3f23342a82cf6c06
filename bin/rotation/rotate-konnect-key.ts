import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { parseKeySecret } from '../../functions/auth/konnect-key-source';
import { dedupeKeepingNewest } from '../../functions/konnect/rotation-keys';
import { generateKonnectKey } from './generate-key';

export { dedupeKeepingNewest };

export type RotationPhase = 'add' | 'finish';

export interface RotationRequest {
  secretId: string;
  phase: RotationPhase;
}

export interface RotationResult {
  phase: RotationPhase;
  /** How many keys the secret holds now. */
  keysStored: number;
  /** Only after `add`: the key to paste into Konnect. */
  newKey?: string;
  /** False when `finish` found only one key and wrote nothing. */
  changed: boolean;
}

/** A rotation that cannot go ahead safely; the message says what to do instead. */
export class RotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationError';
  }
}

/**
 * Zero-downtime rotation of the Konnect key in the bridge's key secret, in two phases:
 * `add` stores `["OLD","NEW"]` (the bridge accepts both; Konnect still sends OLD), the operator
 * pastes NEW into Konnect, then `finish` stores only NEW. The bridge re-reads the secret at once
 * when it sees a key it does not know, so NEW works the moment Konnect sends it.
 */
export async function rotateKonnectKey(
  client: SecretsManagerClient,
  request: RotationRequest,
  generate: () => string = generateKonnectKey,
): Promise<RotationResult> {
  const current = await readKeys(client, request.secretId);
  if (request.phase === 'add') {
    if (current.keys.length > 1) {
      // Konnect holds one of them and nothing here says which: dropping one could lock it out.
      throw new RotationError(
        `The secret already holds ${current.keys.length} keys, so a rotation is under way. Once Konnect uses the newest key, run --phase finish; then run --phase add again.`,
      );
    }
    const [old] = current.keys as [string];
    let newKey = generate();
    while (newKey === old) newKey = generate();
    await writeSecret(client, request.secretId, JSON.stringify([old, newKey]));
    return { phase: 'add', keysStored: 2, newKey, changed: true };
  }
  const newest = current.keys[current.keys.length - 1] as string;
  if (current.keys.length === 1 && current.raw.trim() === newest) {
    return { phase: 'finish', keysStored: 1, changed: false };
  }
  await writeSecret(client, request.secretId, newest);
  return { phase: 'finish', keysStored: 1, changed: true };
}

async function readKeys(client: SecretsManagerClient, secretId: string): Promise<{ raw: string; keys: string[] }> {
  const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (typeof answer.SecretString !== 'string') {
    throw new RotationError('The secret has no string value; it must hold one Konnect key or a JSON list of keys.');
  }
  let keys: string[];
  try {
    keys = parseKeySecret(answer.SecretString);
  } catch (error) {
    // parseKeySecret's messages never include the value.
    throw new RotationError(`The secret's value is not usable: ${error instanceof Error ? error.message : 'invalid'}.`);
  }
  return { raw: answer.SecretString, keys: dedupeKeepingNewest(keys) };
}

async function writeSecret(client: SecretsManagerClient, secretId: string, value: string): Promise<void> {
  await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value }));
}
