import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DcrProviderApi } from '../../functions/konnect/dcr-provider';
import { KonnectApi } from '../../functions/konnect/konnect-api';
import { parseKonnectToken, readKonnectToken } from '../../functions/konnect/konnect-token';
import {
  DEFAULT_ACCEPT_DELAY_MS,
  type RotationOutcome,
  type RotationProgress,
  rotateWithKonnect,
} from '../../functions/konnect/rotate-with-konnect';
import { assertNoScheduledRotation, currentKeySecret } from '../../functions/konnect/rotation-secret';
import type { KonnectRotationOptions } from './konnect-rotation-options';

export interface KonnectRotationDependencies {
  client: SecretsManagerClient;
  env?: NodeJS.ProcessEnv;
  /** Where progress lines go (stdout in the command). */
  print: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  generate?: () => string;
  /** Konnect's API client; KonnectApi over HTTPS by default. */
  konnectApi?: (baseUrl: string, token: string) => DcrProviderApi;
}

/** `rotate-key --konnect`: the whole rotation, with a line per step. Prints no key and no token. */
export async function runKonnectRotation(
  options: KonnectRotationOptions,
  deps: KonnectRotationDependencies,
): Promise<RotationOutcome> {
  const env = deps.env ?? process.env;
  await assertNoScheduledRotation(deps.client, options.secretId);
  // The same reading as connect-konnect: plain, or {"token": ...}; never quoted in an error.
  const token = options.tokenSecretId
    ? await readKonnectToken(deps.client, options.tokenSecretId)
    : parseKonnectToken(env.KONNECT_TOKEN);
  const api = (deps.konnectApi ?? ((baseUrl, bearer) => new KonnectApi({ baseUrl, token: bearer })))(
    options.konnectUrl,
    token,
  );
  const outcome = await rotateWithKonnect({
    secret: currentKeySecret(deps.client, options.secretId),
    api,
    provider: options.provider,
    owner: options.owner,
    acceptDelayMs: options.acceptDelayMs ?? DEFAULT_ACCEPT_DELAY_MS,
    sleep: deps.sleep,
    generate: deps.generate,
    onProgress: (progress) => deps.print(progressLine(progress, options.secretId)),
  });
  deps.print(
    `Done: Konnect's provider ${outcome.providerId} holds the new key (label dcr-bridge-key=${outcome.keyFingerprint}), and the bridge no longer accepts the older keys.`,
  );
  deps.print(
    'Warm bridge containers keep accepting the old key until their key cache expires (KEY_CACHE_TTL_SECONDS, 5 minutes by default).',
  );
  return outcome;
}

export function progressLine(progress: RotationProgress, secretId: string): string {
  switch (progress.step) {
    case 'provider-found':
      return `Konnect DCR provider: ${progress.providerId}`;
    case 'new-key-stored':
      return `Stored a new key next to the current one in ${secretId}: the bridge accepts both.`;
    case 'rotation-resumed':
      return `${secretId} already holds ${progress.keysStored} keys (an earlier rotation stopped half-way): moving Konnect to the newest.`;
    case 'waiting-for-bridge':
      return `Waiting ${Math.ceil(progress.ms / 1000)} s, so that every bridge container accepts the new key before Konnect sends it…`;
    case 'konnect-updated':
      return "Konnect's provider holds the new key now.";
    case 'konnect-already-updated':
      return "Konnect's provider already holds the new key.";
    case 'verified':
      // Both keys are accepted at this point, so the verify proves the bridge works, not which key Konnect sent.
      return "Konnect's verify passed (a real create through the bridge); its dcr-bridge-key label shows it holds the new key.";
    case 'old-keys-removed':
      return progress.removed === 0
        ? `${secretId} holds only the new key already.`
        : `Removed the old key from ${secretId}.`;
  }
}
