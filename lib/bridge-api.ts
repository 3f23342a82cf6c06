import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { NO_SUCH_ROUTE, SERVED_ROUTES, splitRoute } from '../functions/bridge/served-routes';
import { accessLogFormat } from './access-log-format';
import { sourceCidrs } from './source-cidrs';

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
  /**
   * The only source CIDRs the API's resource policy lets invoke it; every other source gets 403
   * from API Gateway before anything runs.
   * @default - every source address
   */
  readonly allowedSourceCidrs?: readonly string[];
  /**
   * Switch off the default execute-api endpoint, so the API is reachable only through a custom
   * domain.
   * @default false
   */
  readonly disableExecuteApiEndpoint?: boolean;
}

// The same body the local server answers; also a valid mapping template (no "$" or "#" in it).
const NOT_FOUND_BODY = JSON.stringify(NO_SUCH_ROUTE);

const THROTTLED_BODY = JSON.stringify({
  error: 'rate_limited',
  error_description: "Too many requests: the bridge's API Gateway stage throttle refused this one. Retry later.",
});

// Word for word the bridge's own 401 (functions/commons/bridge-error.ts), so Konnect cannot tell
// which of the two refused a request without a key.
const MISSING_KEY_BODY = JSON.stringify({
  error: 'unauthorized',
  error_description: 'Missing or invalid X-API-KEY header.',
});

const SOURCE_DENIED_BODY = JSON.stringify({
  error: 'forbidden',
  error_description: "Blocked by the bridge's source address allow-list (API resource policy).",
});

/** Konnect's key header; API Gateway matches header names case-insensitively. */
export const API_KEY_HEADER = 'method.request.header.X-API-KEY';

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
  /**
   * Stage URL without a trailing slash: the DCR provider base URL to paste into Konnect, unless
   * `disableExecuteApiEndpoint` turned it off (then only the custom domain answers).
   */
  public readonly baseUrl: string;
  /** The access log: one JSON line per request, without headers. */
  public readonly accessLogGroup: LogGroup;

  constructor(scope: Construct, id: string, props: BridgeApiProps) {
    super(scope, id);
    const stageName = props.stageName ?? 'prod';
    const cloudWatchRole = props.cloudWatchRole ?? false;

    const stack = Stack.of(this);
    const allowedSourceCidrs = props.allowedSourceCidrs?.length ? sourceCidrs(props.allowedSourceCidrs) : undefined;
    const disableExecuteApiEndpoint = props.disableExecuteApiEndpoint ?? false;
    this.accessLogGroup = new LogGroup(this, 'AccessLog', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      encryptionKey: props.encryptionKey,
    });
    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: stack.stackName,
      description: 'DCR bridge between Kong Konnect Dev Portal and the OAuth IdP',
      endpointTypes: [EndpointType.REGIONAL],
      disableExecuteApiEndpoint,
      policy: allowedSourceCidrs ? sourcePolicy(allowedSourceCidrs) : undefined,
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

    // Neither setting is part of the deployment CDK hashes, yet each takes effect only with a new
    // deployment: without this a changed allow-list would stay unenforced until the next route change.
    this.restApi.latestDeployment?.addToLogicalId({ allowedSourceCidrs, disableExecuteApiEndpoint });

    const methods = this.addRoutes(props.handler);
    this.addGatewayResponses(Boolean(allowedSourceCidrs));
    this.acknowledgeNagFindings(methods, cloudWatchRole);
    const stage = this.restApi.deploymentStage;
    this.baseUrl = `https://${this.restApi.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${stage.stageName}`;
  }

  /**
   * The served routes, each one method on its resource; anything else is a gateway 404. Every
   * route requires the X-API-KEY header, so a request without one is refused by API Gateway
   * before the function is invoked (the function still checks the key's value).
   */
  private addRoutes(handler: IFunction): Method[] {
    // No test-invoke permission: only the deployed stage may call the function.
    const integration = new LambdaIntegration(handler, { allowTestInvoke: false });
    // Only parameters: the bridge validates bodies itself against the contract (see APIG2 below).
    const requestValidator = new RequestValidator(this, 'RequireApiKeyHeader', {
      restApi: this.restApi,
      validateRequestParameters: true,
      validateRequestBody: false,
    });
    return SERVED_ROUTES.map((route) => {
      const { method, resource } = splitRoute(route);
      // Construct ids are the path parts ("{clientId}", "secrets"): stable logical ids.
      return this.restApi.root.resourceForPath(resource).addMethod(method, integration, {
        requestParameters: { [API_KEY_HEADER]: true },
        requestValidator,
      });
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
        'API Gateway validates request parameters (the X-API-KEY header is required on every route) but not ' +
        'bodies: the bridge validates every body and path parameter with zod against the Konnect contract and ' +
        'answers with the field and the reason. A gateway model would duplicate that contract and must stay ' +
        'tolerant of fields Konnect adds; body size is bounded by the WAF rule when WAF is on and by the bridge ' +
        'field limits.',
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
  private addGatewayResponses(sourceRestricted: boolean): void {
    // Unknown route or method surfaces as MISSING_AUTHENTICATION_TOKEN (403); it is a 404.
    this.restApi.addGatewayResponse('NotFound', {
      type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
      statusCode: '404',
      templates: { 'application/json': NOT_FOUND_BODY },
    });
    // The only required request parameter is the key header, so a failed parameter check is a
    // missing (or blank) key: the contract's 401, not API Gateway's 400.
    this.restApi.addGatewayResponse('MissingApiKey', {
      type: ResponseType.BAD_REQUEST_PARAMETERS,
      statusCode: '401',
      templates: { 'application/json': MISSING_KEY_BODY },
    });
    // The edge's own refusals name their cause, so the portal admin knows where to look.
    if (sourceRestricted) {
      // Without an authorizer, ACCESS_DENIED only comes from the resource policy.
      this.restApi.addGatewayResponse('SourceDenied', {
        type: ResponseType.ACCESS_DENIED,
        statusCode: '403',
        templates: { 'application/json': SOURCE_DENIED_BODY },
      });
    }
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

/**
 * Allow every caller, then deny every source outside the list: with a resource policy, API
 * Gateway needs an explicit allow for unauthenticated calls, and the explicit deny wins.
 */
function sourcePolicy(cidrs: string[]): PolicyDocument {
  const invoke = { principals: [new AnyPrincipal()], actions: ['execute-api:Invoke'], resources: ['execute-api:/*'] };
  return new PolicyDocument({
    statements: [
      new PolicyStatement({ sid: 'AllowInvoke', effect: Effect.ALLOW, ...invoke }),
      new PolicyStatement({
        sid: 'DenySourcesOutsideAllowList',
        effect: Effect.DENY,
        ...invoke,
        conditions: { NotIpAddress: { 'aws:SourceIp': cidrs } },
      }),
    ],
  });
}
