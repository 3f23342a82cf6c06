import {
  GetSecretValueCommand,
  type GetSecretValueCommandInput,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * Secrets Manager as the real SDK client sees it (aws-sdk-client-mock replaces `send` on every
 * client), answering GetSecretValue from a plain map of secret id → value. For tests that only
 * read secrets; test/support/secrets-manager-store.ts models versions and rotation.
 */
export function mockSecretsManagerMap() {
  const secrets = new Map<string, string>();
  const mock = mockClient(SecretsManagerClient);
  mock.on(GetSecretValueCommand).callsFake((input: GetSecretValueCommandInput) => {
    const value = secrets.get(input.SecretId as string);
    if (value === undefined) {
      // The text Secrets Manager answers for an unknown secret id.
      throw new ResourceNotFoundException({
        message: 'Secrets Manager can’t find the specified secret.',
        $metadata: {},
      });
    }
    return { ARN: input.SecretId, SecretString: value };
  });
  return { secrets, mock };
}
