import { loadBridge } from './bridge-dependencies';
import { createBridgeHandler } from './create-bridge-handler';

/** The Lambda entry point for all four Konnect routes; configured from the environment. */
export const handler = createBridgeHandler(() => loadBridge(process.env));
