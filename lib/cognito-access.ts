import { type Stack, Token } from 'aws-cdk-lib';
import { settingsProblems } from '../functions/commons/configuration-error';
import { cognitoUserPoolOf } from '../functions/idp/cognito/cognito-settings';
import type { BridgeStackProps } from './bridge-stack-props';

/**
 * Everything the Cognito adapter calls, and nothing else: app clients and their secrets. No user,
 * pool, domain or resource server action (Service Authorization Reference, "Actions, resources,
 * and condition keys for Amazon Cognito User Pools": each is a `userpool` resource action).
 */
export const COGNITO_APP_CLIENT_ACTIONS: readonly string[] = [
  'cognito-idp:CreateUserPoolClient',
  'cognito-idp:DeleteUserPoolClient',
  'cognito-idp:ListUserPoolClients',
  'cognito-idp:AddUserPoolClientSecret',
  'cognito-idp:ListUserPoolClientSecrets',
  'cognito-idp:DeleteUserPoolClientSecret',
];

/**
 * Redirect URI updates of code-flow clients only. DescribeUserPoolClient also reads any client's
 * secret in the pool, so a client credentials bridge, which never calls either, is not granted them.
 */
export const COGNITO_CODE_FLOW_ACTIONS: readonly string[] = [
  'cognito-idp:DescribeUserPoolClient',
  'cognito-idp:UpdateUserPoolClient',
];

/** The actions for the bridge's IDP_COGNITO_OAUTH_FLOW (client_credentials when unset). */
export function cognitoActionsFor(environment: Record<string, string | undefined>): string[] {
  const codeFlow = environment.IDP_COGNITO_OAUTH_FLOW === 'code';
  return [...COGNITO_APP_CLIENT_ACTIONS, ...(codeFlow ? COGNITO_CODE_FLOW_ACTIONS : [])];
}

/** Settings the stack writes itself when it creates the pool. */
const CREATED_POOL_SETTINGS = [
  'IDP_COGNITO_USER_POOL_ID',
  'IDP_COGNITO_REGION',
  'IDP_COGNITO_DOMAIN',
  'IDP_COGNITO_RESOURCE_SERVER',
];
const CREATED_POOL_PROPS = ['cognitoDomainPrefix', 'cognitoResourceServer', 'cognitoScopes'] as const;

/** The Cognito props make sense together and with idpType=cognito only. */
export function assertCognitoProps(idpType: string, props: BridgeStackProps): void {
  const creates = props.cognitoUserPool !== undefined;
  if (creates && props.cognitoUserPool !== 'create') {
    throw new Error(`cognitoUserPool must be "create" (or unset), got ${JSON.stringify(props.cognitoUserPool)}`);
  }
  if (creates && idpType !== 'cognito') throw new Error('cognitoUserPool=create needs idpType=cognito');
  for (const name of CREATED_POOL_PROPS) {
    if (props[name] !== undefined && !creates) {
      throw new Error(`${name} configures the pool of cognitoUserPool=create: set that too`);
    }
  }
  if (idpType !== 'cognito') return;
  if (props.idpCredentialsSecretArn !== undefined) {
    throw new Error(
      "idpCredentialsSecretArn: the cognito adapter has no IdP credentials, the bridge's IAM role is its credential",
    );
  }
  const settings = props.idpSettings ?? {};
  if (creates) {
    const clashing = CREATED_POOL_SETTINGS.filter((name) => settings[name] !== undefined);
    if (clashing.length > 0) {
      throw new Error(
        `idpSettings: ${clashing.join(', ')} is set by cognitoUserPool=create; leave it out, or use an existing pool without cognitoUserPool`,
      );
    }
  } else if (!settings.IDP_COGNITO_USER_POOL_ID) {
    throw new Error(
      'idpType=cognito needs a user pool: set IDP_COGNITO_USER_POOL_ID in idpSettings (an existing pool, e.g. -c idpSettings=\'{"IDP_COGNITO_USER_POOL_ID":"eu-central-1_AbC123"}\') or -c cognitoUserPool=create (a new one), see docs/idps/cognito.md',
    );
  }
}

/**
 * arn:<partition>:cognito-idp:<region>:<account>:userpool/<poolId> of an existing pool, in the
 * stack's account (the role's own credentials reach no other). Refuses settings that name no pool:
 * without one there is nothing to grant.
 */
export function existingUserPoolArn(stack: Stack, environment: Record<string, string>): string {
  const poolId = environment.IDP_COGNITO_USER_POOL_ID;
  if (poolId !== undefined && Token.isUnresolved(poolId))
    throw new Error('existingUserPoolArn: the pool id is not known at synth');
  // Only the pool and its region decide the grant; other settings' problems stay synth warnings.
  const parsed = cognitoUserPoolOf(environment);
  if (!parsed.success) {
    throw new Error(
      `The cognito settings do not name one user pool the bridge may be granted: ${settingsProblems(parsed.error)}.`,
    );
  }
  const { region, userPoolId } = parsed.data;
  return stack.formatArn({ service: 'cognito-idp', region, resource: 'userpool', resourceName: userPoolId });
}
