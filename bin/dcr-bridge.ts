import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { bridgeStackPropsFromContext } from '../lib/bridge-context';
import { BridgeStack } from '../lib/bridge-stack';
import { stackNameFromContext } from '../lib/stack-name';

const app = new App();
// `-c stackName=…` names the stack and, through it, every physical name: several bridges per account.
new BridgeStack(app, stackNameFromContext(app.node), {
  ...bridgeStackPropsFromContext(app.node),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
// cdk synth/deploy fail on any AwsSolutions finding that the stack does not acknowledge with a reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
