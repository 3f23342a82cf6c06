import { Aws, Fn } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { optionalString } from './context-values';

/** The stack name without `-c stackName=…`: what every deployment before stack names was called. */
export const DEFAULT_STACK_NAME = 'DcrBridge';

// CloudFormation: letters, digits and hyphens, starting with a letter, at most 128 characters.
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/**
 * The CloudFormation stack name. Every physical name of the stack (alarms, dashboard, saved
 * queries, API, WAF metrics, the metrics `service` dimension, the Konnect provider) derives from
 * it, so bridges with different names coexist in one account and region.
 */
export function assertStackName(name: string): string {
  if (!STACK_NAME.test(name)) {
    throw new Error(
      `stackName must be a CloudFormation stack name (a letter, then letters, digits and hyphens, at most 128 characters), got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

/** Context `stackName`, validated; the default keeps existing deployments on their stack. */
export function stackNameFromContext(node: Node): string {
  return assertStackName(optionalString(node, 'stackName') ?? DEFAULT_STACK_NAME);
}

/**
 * The stack name as a Konnect label value (1-63 characters, alphanumeric at both ends): Konnect
 * refuses longer values, and a stack name may end with a hyphen.
 */
export function stackLabel(name: string): string {
  return name.slice(0, 63).replace(/-+$/, '');
}

/**
 * The stack's UUID, the last part of its stack id (arn:…:stack/<name>/<uuid>): unique per stack,
 * even for two stacks of the same name in two accounts or one recreated. The Konnect provider's
 * dcr-bridge-owner label, so a stack only ever changes or deletes its own provider. 36 characters
 * of hex and "-", a valid Konnect label value.
 */
export function stackUuid(): string {
  return Fn.select(2, Fn.split('/', Aws.STACK_ID));
}
