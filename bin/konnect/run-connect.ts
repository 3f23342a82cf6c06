import { setTimeout as sleepFor } from 'node:timers/promises';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  type ConnectResult,
  connectProvider,
  KonnectVerificationFailed,
  ProviderTypeConflict,
} from '../../functions/konnect/connect-provider';
import { AmbiguousProviderError, KonnectApi, KonnectRequestError } from '../../functions/konnect/konnect-api';
import { KonnectApiError } from '../../functions/konnect/konnect-api-error';
import { readNewestKonnectKey } from '../../functions/konnect/konnect-key-secret';
import { KonnectTokenError } from '../../functions/konnect/konnect-token';
import { ProviderOwnerConflict } from '../../functions/konnect/provider-owner';
import type { ConnectCliOptions } from './connect-options';
import { konnectToken } from './konnect-access';

export interface ConnectOutput {
  /** What was done. */
  out(line: string): void;
  /** Why it failed. */
  err(line: string): void;
}

export interface ConnectRun {
  exitCode: 0 | 1;
  result?: ConnectResult;
}

/** Errors whose message is the whole story for the operator (already free of the token and key). */
const KNOWN_FAILURES = [
  KonnectApiError,
  KonnectRequestError,
  AmbiguousProviderError,
  ProviderTypeConflict,
  ProviderOwnerConflict,
  KonnectTokenError,
] as const;

function describeAction(result: Omit<ConnectResult, 'verification'>): string {
  if (result.action === 'updated') return `updated (${result.changed.join(', ')})`;
  return result.action;
}

/** `npm run connect-konnect`: prints what it did; exit code 1 with Konnect's errors on a failure. */
export async function runConnect(
  options: ConnectCliOptions,
  output: ConnectOutput,
  secretsManager: () => SecretsManagerClient = () =>
    new SecretsManagerClient(options.region ? { region: options.region } : {}),
  sleep?: (ms: number) => Promise<void>,
): Promise<ConnectRun> {
  let client: SecretsManagerClient | undefined;
  const sharedClient = () => {
    client ??= secretsManager();
    return client;
  };
  try {
    const token = await konnectToken(options.access, sharedClient);
    const newest = await readNewestKonnectKey(sharedClient(), options.keySecretId);
    const api = new KonnectApi({ baseUrl: options.access.apiUrl, token });
    const result = await connectProvider(
      api,
      {
        name: options.name,
        dcrBaseUrl: options.url,
        issuer: options.issuer,
        apiKey: newest.key,
        disableRefreshSecret: options.disableRefreshSecret,
        stackLabel: options.stackLabel,
        owner: options.owner,
      },
      {
        verify: options.verify,
        adopt: options.adopt,
        keyStoredAt: newest.storedAt,
        sleep: async (ms) => {
          output.out(
            `Waiting ${Math.ceil(ms / 1000)} s: the key was stored moments ago, and every bridge container must accept it before Konnect sends it…`,
          );
          await (sleep ?? sleepFor)(ms);
        },
      },
    );
    output.out(`Konnect DCR provider "${options.name}" (${result.providerId}): ${describeAction(result)}`);
    output.out(result.verification ? 'Konnect verified the bridge: success' : 'Verification skipped (--no-verify)');
    return { exitCode: 0, result };
  } catch (error) {
    if (error instanceof KonnectVerificationFailed) {
      output.err(
        `Konnect DCR provider "${options.name}" (${error.result.providerId}): ${describeAction(error.result)}`,
      );
      output.err('Konnect could not verify the bridge:');
      for (const message of error.errors.length > 0 ? error.errors : ['(Konnect gave no errors)']) {
        output.err(`  - ${message}`);
      }
      output.err('Check the bridge (npm run verify) and its logs; the provider keeps the settings written above.');
      return { exitCode: 1 };
    }
    if (KNOWN_FAILURES.some((type) => error instanceof type)) {
      output.err(`connect-konnect: ${(error as Error).message}`);
      return { exitCode: 1 };
    }
    // Secrets Manager (AccessDenied, ResourceNotFound ...) and key-secret format errors: names and
    // messages without values.
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    output.err(`connect-konnect: ${name}: ${message}`);
    return { exitCode: 1 };
  }
}
