import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { RotationError, rotateKonnectKey } from './rotation/rotate-konnect-key';
import { rotationInstructions } from './rotation/rotation-instructions';
import { parseRotationArgs, ROTATION_USAGE, RotationUsageError } from './rotation/rotation-options';

// `npm run rotate-key -- --secret-id <arn> --phase add|finish`: see docs/verify-and-rotation.md.
try {
  const options = parseRotationArgs(process.argv.slice(2));
  const client = new SecretsManagerClient(options.region ? { region: options.region } : {});
  const result = await rotateKonnectKey(client, { secretId: options.secretId, phase: options.phase });
  process.stdout.write(rotationInstructions(options.secretId, result));
} catch (error) {
  if (error instanceof RotationUsageError) {
    process.stderr.write(`rotate-key: ${error.message}\n\n${ROTATION_USAGE}\n`);
    process.exitCode = 2;
  } else if (error instanceof RotationError) {
    process.stderr.write(`rotate-key: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    // AWS SDK errors name the problem (AccessDenied, ResourceNotFound) without any secret value.
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`rotate-key: Secrets Manager refused: ${name}: ${message}\n`);
    process.exitCode = 1;
  }
}
