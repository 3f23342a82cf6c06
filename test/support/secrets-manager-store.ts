import { randomUUID } from 'node:crypto';
import {
  DescribeSecretCommand,
  type DescribeSecretCommandInput,
  GetSecretValueCommand,
  type GetSecretValueCommandInput,
  InvalidParameterException,
  PutSecretValueCommand,
  type PutSecretValueCommandInput,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
  type UpdateSecretVersionStageCommandInput,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';

interface Version {
  id: string;
  /** Unset for the empty version RotateSecret labels AWSPENDING before createSecret runs. */
  value?: string;
  stages: Set<string>;
  /** When the value was stored (GetSecretValue's CreatedDate). */
  createdDate?: Date;
}

type CommandName = 'GetSecretValue' | 'PutSecretValue' | 'DescribeSecret' | 'UpdateSecretVersionStage';

export interface SecretsManagerStore {
  /** Creates the secret with one AWSCURRENT version. */
  create(secretId: string, value: string, options?: { rotationEnabled?: boolean }): void;
  /** The AWSCURRENT value: what the bridge reads. */
  current(secretId: string): string | undefined;
  /** Version id → staging labels, only versions that have labels (DescribeSecret's VersionIdsToStages). */
  stages(secretId: string): Record<string, string[]>;
  valueOf(secretId: string, versionId: string): string | undefined;
  /**
   * What RotateSecret does before invoking the function: a new version labelled AWSPENDING,
   * without a value. With RotateImmediately=false (`{ immediately: false }`, Secrets Manager then
   * runs testSecret alone) the version holds a copy of the current value instead: moto#8547
   * (getmoto/moto) models AWS so, "we should have the existing value when only invoking the
   * testSecret-step". Returns its id (the event's ClientRequestToken).
   */
  startRotation(secretId: string, options?: { immediately?: boolean }): string;
  /** The next call of this command (after `skip` that succeed) fails with `error`: an outage, throttling. */
  failNext(command: CommandName, error: Error, skip?: number): void;
  /** How many times each command was sent. */
  calls(command: CommandName): number;
  restore(): void;
}

/**
 * Secrets Manager with versions and staging labels, behind every SecretsManagerClient of the
 * process (aws-sdk-client-mock replaces `send` on the class), following the API reference:
 * - GetSecretValue: VersionId and/or VersionStage, AWSCURRENT when neither; both must name the
 *   same version; a version without a value is ResourceNotFoundException
 *   (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html).
 * - PutSecretValue: ClientRequestToken is the version id; the same token with the same value is
 *   ignored, with another value refused; VersionStages default to AWSCURRENT; a label moves off
 *   the version that held it, and moving AWSCURRENT moves AWSPREVIOUS to the version it left
 *   (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html).
 * - DescribeSecret: RotationEnabled and VersionIdsToStages (versions with labels only)
 *   (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html).
 * - UpdateSecretVersionStage: moving a label held by another version needs RemoveFromVersionId
 *   naming that version; AWSCURRENT brings AWSPREVIOUS along as above
 *   (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecretVersionStage.html).
 */
export function secretsManagerStore(): SecretsManagerStore {
  const secrets = new Map<string, { versions: Version[]; rotationEnabled: boolean }>();
  const failures = new Map<CommandName, { error: Error; skip: number }>();
  const counts = new Map<CommandName, number>();
  const mock = mockClient(SecretsManagerClient);

  const secretOf = (secretId: string | undefined) => {
    const secret = secrets.get(secretId ?? '');
    if (!secret) throw notFound("Secrets Manager can't find the specified secret.");
    return secret;
  };
  const holder = (versions: Version[], stage: string) => versions.find((version) => version.stages.has(stage));

  /** Attaches `stage` to `target`, taking it off whichever version held it. */
  const attach = (versions: Version[], target: Version, stage: string) => {
    const previous = holder(versions, stage);
    if (previous === target) return;
    previous?.stages.delete(stage);
    target.stages.add(stage);
    if (stage === 'AWSCURRENT' && previous) attach(versions, previous, 'AWSPREVIOUS');
  };

  const guarded =
    <I, O>(name: CommandName, run: (input: I) => O) =>
    (input: I): O => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      const failure = failures.get(name);
      if (failure && failure.skip-- <= 0) {
        failures.delete(name);
        throw failure.error;
      }
      return run(input);
    };

  mock.on(GetSecretValueCommand).callsFake(
    guarded('GetSecretValue', (input: GetSecretValueCommandInput) => {
      const secret = secretOf(input.SecretId);
      const byId = input.VersionId ? secret.versions.find((version) => version.id === input.VersionId) : undefined;
      const stage = input.VersionStage ?? (input.VersionId ? undefined : 'AWSCURRENT');
      const version = stage ? holder(secret.versions, stage) : byId;
      if (!version || (input.VersionId && version !== byId) || version.value === undefined) {
        throw notFound(
          `Secrets Manager can't find the specified secret value for ${stage ? `staging label: ${stage}` : `VersionId: ${input.VersionId}`}`,
        );
      }
      return {
        ARN: input.SecretId,
        VersionId: version.id,
        SecretString: version.value,
        VersionStages: [...version.stages],
        CreatedDate: version.createdDate,
      };
    }),
  );

  mock.on(PutSecretValueCommand).callsFake(
    guarded('PutSecretValue', (input: PutSecretValueCommandInput) => {
      const secret = secretOf(input.SecretId);
      const id = input.ClientRequestToken ?? randomUUID();
      let version = secret.versions.find((existing) => existing.id === id);
      if (version?.value !== undefined) {
        if (version.value === input.SecretString) return { ARN: input.SecretId, VersionId: id };
        throw new ResourceExistsException({
          message: "You can't modify an existing version, you can only create a new version.",
          $metadata: {},
        });
      }
      if (!version) {
        version = { id, stages: new Set() };
        secret.versions.push(version);
      }
      version.value = input.SecretString;
      version.createdDate = new Date();
      for (const stage of input.VersionStages ?? ['AWSCURRENT']) attach(secret.versions, version, stage);
      return { ARN: input.SecretId, VersionId: id, VersionStages: [...version.stages] };
    }),
  );

  mock.on(DescribeSecretCommand).callsFake(
    guarded('DescribeSecret', (input: DescribeSecretCommandInput) => {
      const secret = secretOf(input.SecretId);
      return {
        ARN: input.SecretId,
        RotationEnabled: secret.rotationEnabled,
        VersionIdsToStages: stagesOf(secret.versions),
      };
    }),
  );

  mock.on(UpdateSecretVersionStageCommand).callsFake(
    guarded('UpdateSecretVersionStage', (input: UpdateSecretVersionStageCommandInput) => {
      const secret = secretOf(input.SecretId);
      const stage = input.VersionStage as string;
      const current = holder(secret.versions, stage);
      if (input.RemoveFromVersionId && current?.id !== input.RemoveFromVersionId) {
        throw invalidParameter(`Staging label ${stage} is not attached to version ${input.RemoveFromVersionId}.`);
      }
      if (!input.MoveToVersionId) {
        current?.stages.delete(stage);
        return { ARN: input.SecretId };
      }
      const target = secret.versions.find((version) => version.id === input.MoveToVersionId);
      if (!target) throw notFound(`Secrets Manager can't find the specified secret version ${input.MoveToVersionId}.`);
      if (current && current !== target && !input.RemoveFromVersionId) {
        throw invalidParameter(
          `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${current.id}, so you must explicitly reference that version in RemoveFromVersionId.`,
        );
      }
      attach(secret.versions, target, stage);
      return { ARN: input.SecretId };
    }),
  );

  return {
    create(secretId, value, options = {}) {
      secrets.set(secretId, {
        versions: [{ id: randomUUID(), value, stages: new Set(['AWSCURRENT']), createdDate: new Date() }],
        rotationEnabled: options.rotationEnabled ?? true,
      });
    },
    current: (secretId) => holder(secretOf(secretId).versions, 'AWSCURRENT')?.value,
    stages: (secretId) => stagesOf(secretOf(secretId).versions),
    valueOf: (secretId, versionId) => secretOf(secretId).versions.find((version) => version.id === versionId)?.value,
    startRotation(secretId, options = {}) {
      const secret = secretOf(secretId);
      const pending = holder(secret.versions, 'AWSPENDING');
      if (pending && !pending.stages.has('AWSCURRENT')) {
        throw new Error('A previous rotation is not complete (AWSPENDING is on another version than AWSCURRENT).');
      }
      pending?.stages.delete('AWSPENDING');
      const version: Version = { id: randomUUID(), stages: new Set(['AWSPENDING']) };
      if (options.immediately === false) {
        version.value = holder(secret.versions, 'AWSCURRENT')?.value;
        version.createdDate = new Date();
      }
      secret.versions.push(version);
      return version.id;
    },
    failNext: (command, error, skip = 0) => failures.set(command, { error, skip }),
    calls: (command) => counts.get(command) ?? 0,
    restore: () => mock.restore(),
  };
}

function stagesOf(versions: Version[]): Record<string, string[]> {
  return Object.fromEntries(
    versions.filter((version) => version.stages.size > 0).map((version) => [version.id, [...version.stages]]),
  );
}

const notFound = (message: string) => new ResourceNotFoundException({ message, $metadata: {} });
const invalidParameter = (message: string) => new InvalidParameterException({ message, $metadata: {} });
