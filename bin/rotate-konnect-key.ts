import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { KonnectApiError } from '../functions/konnect/konnect-api-error';
import { KeyRotationError } from '../functions/konnect/rotate-with-konnect';
import { runKonnectRotation } from './rotation/konnect-rotation';
import { RotationError, rotateKonnectKey } from './rotation/rotate-konnect-key';
import { rotationInstructions } from './rotation/rotation-instructions';
import { isKonnectRotation, parseRotationArgs, ROTATION_USAGE, RotationUsageError } from './rotation/rotation-options';

// `npm run rotate-key -- --secret-id <arn> --phase add|finish` or `... --konnect ...`:
// see docs/verify-and-rotation.md.
try {
  const options = parseRotationArgs(process.argv.slice(2));
  const client = new SecretsManagerClient(options.region ? { region: options.region } : {});
  if (isKonnectRotation(options)) {
    await runKonnectRotation(options, { client, print: (line) => process.stdout.write(`${line}\n`) });
  } else {
    const result = await rotateKonnectKey(client, { secretId: options.secretId, phase: options.phase });
    process.stdout.write(rotationInstructions(options.secretId, result));
  }
} catch (error) {
  if (error instanceof RotationUsageError) {
    process.stderr.write(`rotate-key: ${error.message}\n\n${ROTATION_USAGE}\n`);
    process.exitCode = 2;
  } else if (error instanceof RotationError || error instanceof KeyRotationError || error instanceof KonnectApiError) {
    // Their texts never quote a key or the token.
    process.stderr.write(`rotate-key: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    // AWS SDK errors name the problem (AccessDenied, ResourceNotFound) without any secret value;
    // Konnect request errors (timeouts, refused connections) are redacted by KonnectApi.
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`rotate-key: ${name}: ${message}\n`);
    process.exitCode = 1;
  }
}
