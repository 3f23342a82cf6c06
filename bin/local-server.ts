import { startLocalEnvironment } from './local/local-environment';

// `npm start`: the bridge on 127.0.0.1:$PORT, fronting the embedded IdP unless one is configured.
const port = Number(process.env.PORT ?? 3000);
const idpPort = process.env.EMBEDDED_IDP_PORT ? Number(process.env.EMBEDDED_IDP_PORT) : undefined;
const local = await startLocalEnvironment({ port, idpPort });
const key = local.apiKeys[0] ?? '<one of KONNECT_API_KEYS>';

const lines = [
  'dcr-bridge is running locally.',
  `  Bridge URL (Konnect DCR base URL): ${local.bridgeUrl}`,
  `  Konnect API key (X-API-KEY):       ${process.env.KONNECT_API_KEY_SECRET_ARN ? '(from Secrets Manager)' : key}`,
  local.idp
    ? `  Embedded IdP issuer:               ${local.idp.issuer}\n  IdP token endpoint:                ${local.idp.tokenEndpoint}`
    : `  IdP:                               ${process.env.IDP_TYPE ?? 'generic'} (configured by the IDP_* environment variables)`,
  ...(local.registrationStoreFile
    ? [`  Registrations kept in:             ${local.registrationStoreFile} (holds registration access tokens)`]
    : []),
  '',
  'Create an application the way Konnect does:',
  `  curl -s -X POST ${local.bridgeUrl}/ -H 'X-API-KEY: ${key}' -H 'Content-Type: application/json' \\`,
  `    -d '{"client_name":"my-app","grant_types":["client_credentials"],"redirect_uris":[],"scopes":[]}'`,
  '',
  'Press Ctrl-C to stop.',
];
process.stdout.write(`${lines.join('\n')}\n`);

const stop = () => {
  local.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
