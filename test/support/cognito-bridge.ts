import { type FakeCognito, startFakeCognito } from '../fakes/cognito-fake';
import { callBridge } from './konnect-client';
import { startTestBridge, type TestBridge } from './local-bridge';

export interface CognitoBridge {
  cognito: FakeCognito;
  bridge: TestBridge;
  create(body: Record<string, unknown>): ReturnType<typeof callBridge>;
  rotate(clientId: string): ReturnType<typeof callBridge>;
  hook(clientId: string, json: Record<string, unknown>): ReturnType<typeof callBridge>;
  remove(clientId: string): ReturnType<typeof callBridge>;
  stop(): Promise<void>;
}

/**
 * The fake Cognito and a local bridge in front of it, configured from the environment alone
 * (the SDK's own endpoint variable and dummy credentials): one per test file, since a bridge
 * reads its settings once. `stop` restores the AWS variables it set.
 */
export async function startCognitoBridge(key: string, settings: Record<string, string> = {}): Promise<CognitoBridge> {
  const cognito = await startFakeCognito();
  const env = cognito.env();
  const saved = Object.fromEntries(
    Object.keys(env)
      .filter((name) => !name.startsWith('IDP_'))
      .map((name) => [name, process.env[name]]),
  );
  const bridge = await startTestBridge([key], { ...env, ...settings });
  const url = bridge.local.bridgeUrl;
  return {
    cognito,
    bridge,
    create: (body) => callBridge(url, 'POST', '/', { key, json: body }),
    rotate: (clientId) => callBridge(url, 'POST', `/${clientId}/new-secret`, { key }),
    hook: (clientId, json) =>
      callBridge(url, 'POST', `/${clientId}/event-hook`, { key, json: { client_id: clientId, ...json } }),
    remove: (clientId) => callBridge(url, 'DELETE', `/${clientId}`, { key }),
    stop: async () => {
      await bridge.stop();
      await cognito.close();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}
