import { startFakeCognito } from './cognito-fake';

/**
 * Starts the Cognito fake on its own (`npm run fake-cognito`) and prints the environment that lets
 * `npm start` front it. FAKE_COGNITO_PORT picks the port (default 4599); Ctrl-C stops it.
 */
const fake = await startFakeCognito({ port: Number(process.env.FAKE_COGNITO_PORT ?? 4599) });
const exports = Object.entries(fake.env())
  .map(([name, value]) => `export ${name}='${value}'`)
  .join('\n');
process.stdout.write(
  `Cognito fake: API ${fake.endpoint}, token endpoint ${fake.tokenEndpoint}, issuer ${fake.issuer}\n` +
    `Scopes: ${fake.resourceServers.flatMap((server) => server.scopes.map((scope) => `${server.identifier}/${scope}`)).join(' ')}\n` +
    `In another shell:\n${exports}\nnpm start\n`,
);
const stop = () => {
  fake.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
