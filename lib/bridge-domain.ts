import { DomainName, EndpointType, type IRestApi, SecurityPolicy, type Stage } from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';

export interface BridgeDomainProps {
  /** e.g. `dcr.example.com`. */
  readonly domainName: string;
  /** ACM certificate for the name, in the stack's region (a regional endpoint). */
  readonly certificateArn: string;
  readonly restApi: IRestApi;
  readonly stage: Stage;
}

const HOST_NAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;

/**
 * A stable base URL for Konnect: a regional custom domain mapped at its root to the stage.
 * DNS stays with the operator, who points a CNAME (or a Route 53 alias) at `aliasTarget`.
 */
export class BridgeDomain extends Construct {
  public readonly domain: DomainName;
  /** The `https://` base URL on the custom domain, without a trailing slash. */
  public readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: BridgeDomainProps) {
    super(scope, id);
    if (!HOST_NAME.test(props.domainName)) {
      throw new Error(`domainName must be a lower-case host name such as dcr.example.com, got ${props.domainName}`);
    }
    if (!CERTIFICATE_ARN.test(props.certificateArn)) {
      throw new Error(
        'certificateArn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)',
      );
    }
    this.domain = new DomainName(this, 'DomainName', {
      domainName: props.domainName,
      certificate: Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    // Root mapping: the DCR routes sit directly under the domain, as under the stage URL.
    this.domain.addBasePathMapping(props.restApi, { stage: props.stage });
    this.baseUrl = `https://${props.domainName}`;
  }
}
