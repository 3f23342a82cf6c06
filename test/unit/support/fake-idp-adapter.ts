import type {
  ApiRegistrationChange,
  IdpAdapter,
  IssuedClient,
  NewClient,
  OperationContext,
  RotatedSecret,
} from '../../../functions/idp/idp-adapter';

export type AdapterCall =
  | { method: 'createClient'; client: NewClient }
  | { method: 'deleteClient'; clientId: string }
  | { method: 'rotateSecret'; clientId: string }
  | { method: 'updateRedirectUris'; clientId: string; redirectUris: string[] }
  | { method: 'addRegistration'; change: ApiRegistrationChange }
  | { method: 'removeRegistration'; change: ApiRegistrationChange };

/** Records every call and its deadline signal; answers with what the test set, or throws `failWith`. */
export class FakeIdpAdapter implements IdpAdapter {
  readonly name = 'fake';
  readonly calls: AdapterCall[] = [];
  readonly signals: AbortSignal[] = [];
  issued: IssuedClient = { clientId: 'client-1', clientSecret: 'secret-1' };
  rotated: RotatedSecret = { clientId: 'client-1', clientSecret: 'secret-2' };
  failWith: unknown;
  /** When set, every call waits until its signal aborts, then throws this. */
  waitForAbort: (() => unknown) | undefined;

  private async record(call: AdapterCall, context: OperationContext): Promise<void> {
    this.calls.push(call);
    this.signals.push(context.signal);
    const wait = this.waitForAbort;
    if (wait) {
      await new Promise<void>((resolve) => {
        if (context.signal.aborted) resolve();
        else context.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      throw wait();
    }
    if (this.failWith !== undefined) throw this.failWith;
  }

  async createClient(client: NewClient, context: OperationContext): Promise<IssuedClient> {
    await this.record({ method: 'createClient', client }, context);
    return this.issued;
  }

  async deleteClient(clientId: string, context: OperationContext): Promise<void> {
    await this.record({ method: 'deleteClient', clientId }, context);
  }

  async rotateSecret(clientId: string, context: OperationContext): Promise<RotatedSecret> {
    await this.record({ method: 'rotateSecret', clientId }, context);
    return this.rotated;
  }

  async updateRedirectUris(clientId: string, redirectUris: string[], context: OperationContext): Promise<void> {
    await this.record({ method: 'updateRedirectUris', clientId, redirectUris }, context);
  }

  async addRegistration(change: ApiRegistrationChange, context: OperationContext): Promise<void> {
    await this.record({ method: 'addRegistration', change }, context);
  }

  async removeRegistration(change: ApiRegistrationChange, context: OperationContext): Promise<void> {
    await this.record({ method: 'removeRegistration', change }, context);
  }
}
