import { BridgeError, serviceUnavailable } from '../../commons/bridge-error';
import { RegistrationConflictError } from '../../store/registration-store';

/** One registration store call; its failures become the contract's 503 (no table names, no tokens). */
export async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof BridgeError) throw error;
    if (error instanceof RegistrationConflictError) {
      throw serviceUnavailable('Another operation changed this client at the same time; retry.', error);
    }
    throw serviceUnavailable('The bridge could not reach its registration store; retry.', error);
  }
}
