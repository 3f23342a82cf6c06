import { App } from 'aws-cdk-lib';
import { bridgeStackPropsFromContext } from '../lib/bridge-context';
import { BridgeStack } from '../lib/bridge-stack';

const app = new App();
new BridgeStack(app, 'DcrBridge', {
  ...bridgeStackPropsFromContext(app.node),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
