import { expect } from '@jest/globals';
import { BridgeError } from '../../../functions/commons/bridge-error';

/** Awaits a promise that must reject with a BridgeError, and returns that error. */
export async function bridgeErrorOf(promise: Promise<unknown>): Promise<BridgeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BridgeError);
  return error as BridgeError;
}
