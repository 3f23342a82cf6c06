import { Stack } from 'aws-cdk-lib';
import { AuthorizationType, EndpointType, LambdaIntegration, ResponseType, RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface BridgeApiProps {
  /** The bridge Lambda every route proxies to. */
  readonly handler: IFunction;
  /**
   * Name of the single deployed stage; part of the base URL.
   * @default 'prod'
   */
  readonly stageName?: string;
}

const NOT_FOUND_BODY = JSON.stringify({
  error: 'not_found',
  error_description:
    'No such route. The bridge serves POST /, DELETE /{clientId}, POST /{clientId}/new-secret, POST /{clientId}/event-hook.',
});

/**
 * The Konnect-facing REST API: exactly the four DCR routes, all proxied to the bridge Lambda.
 *
 * A REST API rather than an HTTP API because only REST APIs support AWS WAF, resource policies
 * and usage-plan throttling, which the hardening step relies on.
 */
export class BridgeApi extends Construct {
  public readonly restApi: RestApi;
  /** Stage URL without a trailing slash: the DCR provider base URL to paste into Konnect. */
  public readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: BridgeApiProps) {
    super(scope, id);
    const stageName = props.stageName ?? 'prod';

    const stack = Stack.of(this);
    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: stack.stackName,
      description: 'DCR bridge between Kong Konnect Dev Portal and the OAuth IdP',
      endpointTypes: [EndpointType.REGIONAL],
      deploy: true,
      deployOptions: { stageName },
      // The CloudWatch role is an account-wide setting; this stack should not own it.
      cloudWatchRole: false,
      defaultMethodOptions: {
        // X-API-KEY must reach the Lambda untouched: the bridge checks it against the
        // Konnect key secret itself, so API Gateway API keys stay off.
        authorizationType: AuthorizationType.NONE,
        apiKeyRequired: false,
      },
    });

    // RestApi's own "Endpoint" output ends in "/"; Konnect must get the base URL without it,
    // so drop that output rather than offer two URLs that differ by one character.
    this.restApi.node.tryRemoveChild('Endpoint');

    this.addRoutes(props.handler);
    this.addGatewayResponses();
    const stage = this.restApi.deploymentStage;
    this.baseUrl = `https://${this.restApi.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${stage.stageName}`;
  }

  /** The four routes of the Konnect DCR contract; anything else is a gateway 404. */
  private addRoutes(handler: IFunction): void {
    // No test-invoke permission: only the deployed stage may call the function.
    const integration = new LambdaIntegration(handler, { allowTestInvoke: false });
    const root = this.restApi.root;
    root.addMethod('POST', integration);
    const client = root.addResource('{clientId}');
    client.addMethod('DELETE', integration);
    client.addResource('new-secret').addMethod('POST', integration);
    client.addResource('event-hook').addMethod('POST', integration);
  }

  /** What API Gateway rejects itself still answers in the contract's `{error, error_description}` shape. */
  private addGatewayResponses(): void {
    // Unknown route or method surfaces as MISSING_AUTHENTICATION_TOKEN (403); it is a 404.
    this.restApi.addGatewayResponse('NotFound', {
      type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
      statusCode: '404',
      templates: { 'application/json': NOT_FOUND_BODY },
    });
    // $context.error.messageString is already a quoted JSON string.
    this.restApi.addGatewayResponse('Default4xx', {
      type: ResponseType.DEFAULT_4XX,
      templates: {
        'application/json': '{"error":"invalid_request","error_description":$context.error.messageString}',
      },
    });
    this.restApi.addGatewayResponse('Default5xx', {
      type: ResponseType.DEFAULT_5XX,
      templates: {
        'application/json': '{"error":"server_error","error_description":$context.error.messageString}',
      },
    });
  }
}
