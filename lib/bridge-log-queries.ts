import { Stack } from 'aws-cdk-lib';
import { type ILogGroup, QueryDefinition, QueryString } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The value to replace in the saved query before running it. */
export const ID_PLACEHOLDER = 'PASTE-THE-ID-HERE';

// Fields of the bridge's request summary line (message "Request completed") and of Powertools.
const SUMMARY_FIELDS = [
  '@timestamp',
  'route',
  'status',
  'outcome',
  'error',
  'error_description',
  'idp_type',
  'idp_request_id',
  'application_id',
  'client_id',
  'portal_id',
  'developer_id',
  'duration_ms',
  'function_request_id',
];

/** Logs Insights over the bridge's JSON lines: one application's story, and recent failures. */
export const APPLICATION_HISTORY_QUERY = new QueryString({
  fields: [...SUMMARY_FIELDS, 'level', 'message'],
  // A create carries no application id yet (Konnect sends portal and developer ids); later calls
  // carry the client id, event hooks also the application id. Any of them finds the story.
  filterStatements: [
    ['application_id', 'client_id', 'portal_id', 'developer_id']
      .map((field) => `${field} = "${ID_PLACEHOLDER}"`)
      .join(' or '),
  ],
  sort: '@timestamp desc',
  limit: 100,
});

export const RECENT_FAILURES_QUERY = new QueryString({
  fields: SUMMARY_FIELDS,
  filterStatements: ['message = "Request completed" and outcome != "success"'],
  sort: '@timestamp desc',
  limit: 50,
});

/** Saved queries in CloudWatch Logs Insights, in a folder named after the stack. */
export class BridgeLogQueries extends Construct {
  constructor(scope: Construct, id: string, props: { logGroup: ILogGroup }) {
    super(scope, id);
    const folder = Stack.of(this).stackName;
    new QueryDefinition(this, 'ApplicationHistory', {
      queryDefinitionName: `${folder}/Why did this application's creation fail (replace ${ID_PLACEHOLDER})`,
      queryString: APPLICATION_HISTORY_QUERY,
      logGroups: [props.logGroup],
    });
    new QueryDefinition(this, 'RecentFailures', {
      queryDefinitionName: `${folder}/Recent failed requests`,
      queryString: RECENT_FAILURES_QUERY,
      logGroups: [props.logGroup],
    });
  }
}
