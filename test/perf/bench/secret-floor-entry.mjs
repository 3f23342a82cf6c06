// Floor B: floor A plus one GetSecretValue through @aws-sdk/client-secrets-manager, the floor of
// any bridge that reads its key with the SDK. The bench bundles this file with the bridge's own
// bundling options, so the SDK is loaded exactly as the bridge loads it (an import served from
// node_modules while the SDK is external, as Lambda serves the runtime's copy; bundled otherwise).
// argv: <registration endpoint> <initial access token>; env: KONNECT_API_KEY_SECRET_ARN and the
// SDK's endpoint, region and credentials. Reports on fd 3 like cold-start-child.mjs.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { postRegistration, reportAndExit } from './http-floor.mjs';

const [endpoint, token] = process.argv.slice(2);
const secret = await new SecretsManagerClient({}).send(
  new GetSecretValueCommand({ SecretId: process.env.KONNECT_API_KEY_SECRET_ARN }),
);
if (!secret.SecretString) throw new Error('The key secret has no value.');
reportAndExit(await postRegistration(endpoint, token));
