import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { NO_SUCH_ROUTE, SERVED_ROUTES, splitRoute } from '../functions/bridge/served-routes';
import { accessLogFormat } from './access-log-format';

export interface BridgeApiProps {
  /** The bridge Lambda every route proxies to. */
  readonly handler: IFunction;
  /**
   * Name of the single deployed stage; part of the base URL.
   * @default 'prod'
   */
  readonly stageName?: string;
  /**
   * Retention of the access log group.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Customer managed key for the access log group.
   * @default - CloudWatch Logs' own encryption
   */
  readonly encryptionKey?: IKey;
  /**
   * X-Ray tracing on the stage.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * Steady-state requests per second of the stage.
   * @default 10
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst of the stage above the rate.
   * @default 20
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Set the account's API Gateway CloudWatch Logs role (needed once per account and region
   * for the access log).
   * @default false
   */
  readonly cloudWatchRole?: boolean;
}

// The same body the local server answers; also a valid mapping template (no "$" or "#" in it).
const NOT_FOUND_BODY = JSON.stringify(NO_SUCH_ROUTE);

const THROTTLED_BODY = JSON.stringify({
  error: 'rate_limited',
  error_description: "Too many requests: the bridge's API Gateway stage throttle refused this one. Retry later.",
});

const WAF_FILTERED_BODY = JSON.stringify({
  error: 'forbidden',
  error_description:
    "Blocked by the bridge's AWS WAF rules (source address not allowed, request rate, or body larger than 64 KB).",
});

/**
 * The Konnect-facing REST API: exactly the routes the bridge serves (functions/bridge/served-routes.ts),
 * all proxied to the bridge Lambda.
 *
 * A REST API rather than an HTTP API because only REST APIs support AWS WAF, resource policies
 * and usage-plan throttling, which the hardening step relies on.
 */
export class BridgeApi extends Construct {
  public readonly restApi: RestApi;
  /** Stage URL without a trailing slash: the DCR provider base URL to paste into Konnect. */
  public readonly baseUrl: string;
  /** The access log: one JSON line per request, without headers. */
  public readonly accessLogGroup: LogGroup;

  constructor(scope: Construct, id: string, props: BridgeApiProps) {
    super(scope, id);
    const stageName = props.stageName ?? 'prod';
    const cloudWatchRole = props.cloudWatchRole ?? false;

    const stack = Stack.of(this);
    this.accessLogGroup = new LogGroup(this, 'AccessLog', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      encryptionKey: props.encryptionKey,
    });
    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: stack.stackName,
      description: 'DCR bridge between Kong Konnect Dev Portal and the OAuth IdP',
      endpointTypes: [EndpointType.REGIONAL],
      deploy: true,
      deployOptions: {
        stageName,
        accessLogDestination: new LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: accessLogFormat(),
        tracingEnabled: props.tracing ?? true,
        // Applies to every method of the stage (`*/*`); beyond it API Gateway answers 429.
        throttlingRateLimit: props.throttlingRateLimit ?? 10,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 20,
      },
      // The CloudWatch role is an account-wide setting; the stack sets it only when asked to,
      // and then leaves it in place on deletion, as other APIs of the account may rely on it.
      cloudWatchRole,
      ...(cloudWatchRole ? { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN } : {}),
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

    const methods = this.addRoutes(props.handler);
    this.addGatewayResponses();
    this.acknowledgeNagFindings(methods, cloudWatchRole);
    const stage = this.restApi.deploymentStage;
    this.baseUrl = `https://${this.restApi.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${stage.stageName}`;
  }

  /** The served routes, each one method on its resource; anything else is a gateway 404. */
  private addRoutes(handler: IFunction): Method[] {
    // No test-invoke permission: only the deployed stage may call the function.
    const integration = new LambdaIntegration(handler, { allowTestInvoke: false });
    return SERVED_ROUTES.map((route) => {
      const { method, resource } = splitRoute(route);
      // Construct ids are the path parts ("{clientId}", "secrets"): stable logical ids.
      return this.restApi.root.resourceForPath(resource).addMethod(method, integration);
    });
  }

  /** AwsSolutions findings that do not fit a bridge Konnect calls with a shared key. */
  private acknowledgeNagFindings(methods: Method[], cloudWatchRole: boolean): void {
    for (const method of methods) {
      Validations.of(method).acknowledge(
        {
          id: 'AwsSolutions::AwsSolutions-APIG4',
          reason:
            'Konnect authenticates with a static X-API-KEY header, which the bridge checks itself against the ' +
            'Konnect key secret (constant-time, several keys during a rotation) before anything else runs. ' +
            'Konnect cannot present IAM signatures, Cognito tokens or a Lambda-authorizer-specific credential.',
        },
        {
          id: 'AwsSolutions::AwsSolutions-COG4',
          reason: 'Konnect is not a Cognito user; it authenticates with the X-API-KEY the bridge verifies (see APIG4).',
        },
      );
    }
    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG2',
      reason:
        'The bridge validates every body and path parameter with zod against the Konnect contract and answers ' +
        'with the field and the reason. A gateway model would duplicate that contract and must stay tolerant of ' +
        'fields Konnect adds; body size is bounded by the WAF rule when WAF is on and by the bridge field limits.',
    });
    Validations.of(this.restApi.deploymentStage).acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG6',
      reason:
        'Execution logging stays off: the JSON access log (with error message and integration error), the ' +
        "function's own request summary lines and X-Ray cover each request, and execution logs would land in a " +
        'log group API Gateway creates without retention; at INFO with data tracing they would carry the headers.',
    });
    if (cloudWatchRole) {
      const role = this.restApi.node.tryFindChild('CloudWatchRole');
      if (!role) throw new Error('BridgeApi: the CloudWatch role was not created');
      Validations.of(role).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "The account-level API Gateway logging role uses AWS's documented managed policy: it must write to the " +
          'log groups of every API in the account and region, which no stack-specific policy can name.',
      });
    }
  }

  /** What API Gateway rejects itself still answers in the contract's `{error, error_description}` shape. */
  private addGatewayResponses(): void {
    // Unknown route or method surfaces as MISSING_AUTHENTICATION_TOKEN (403); it is a 404.
    this.restApi.addGatewayResponse('NotFound', {
      type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
      statusCode: '404',
      templates: { 'application/json': NOT_FOUND_BODY },
    });
    // The edge's own refusals name their cause, so the portal admin knows where to look.
    this.restApi.addGatewayResponse('Throttled', {
      type: ResponseType.THROTTLED,
      statusCode: '429',
      templates: { 'application/json': THROTTLED_BODY },
    });
    this.restApi.addGatewayResponse('WafFiltered', {
      type: ResponseType.WAF_FILTERED,
      statusCode: '403',
      templates: { 'application/json': WAF_FILTERED_BODY },
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
