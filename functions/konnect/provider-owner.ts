import type { DcrProvider } from './dcr-provider';

/**
 * The label naming who manages a provider: the stack's UUID (the last part of its stack id), set
 * when the bridge creates or adopts it. A name is not an identity: two stacks, or a person in the
 * Konnect UI, can pick the same one, and the bridge must not rewrite or delete a provider it does
 * not own.
 */
export const OWNER_LABEL = 'dcr-bridge-owner';

/** Konnect's label value pattern (1-63 characters); a stack UUID (36) fits it. */
const LABEL_VALUE = /^[a-z0-9A-Z]([a-z0-9A-Z\-._]*[a-z0-9A-Z]+)?$/;

export const isOwnerValue = (value: string): boolean => value.length <= 63 && LABEL_VALUE.test(value);

/** `owned`: the label is `owner`; `unowned`: no label; `other`: someone else's. */
export type Ownership = 'owned' | 'unowned' | 'other';

export function ownershipOf(provider: Pick<DcrProvider, 'labels'>, owner: string | undefined): Ownership {
  const label = provider.labels?.[OWNER_LABEL];
  if (label === undefined || label === '') return 'unowned';
  return owner !== undefined && label === owner ? 'owned' : 'other';
}

/** The provider found by name belongs to someone else, or to no one and adoption was not asked. */
export class ProviderOwnerConflict extends Error {
  constructor(
    readonly provider: Pick<DcrProvider, 'id' | 'name' | 'labels'>,
    readonly ownership: Exclude<Ownership, 'owned'>,
  ) {
    super(
      ownership === 'other'
        ? `Konnect's DCR provider "${provider.name}" (${provider.id}) belongs to another bridge ` +
            `(${OWNER_LABEL}=${provider.labels?.[OWNER_LABEL]}) and was left untouched: give this bridge another provider name`
        : `Konnect's DCR provider "${provider.name}" (${provider.id}) has no ${OWNER_LABEL} label (made by hand or by ` +
            'another tool) and was left untouched: adopt it explicitly (--adopt, or konnectAdoptProvider: true) or give this bridge another provider name',
    );
    this.name = 'ProviderOwnerConflict';
  }
}

/**
 * Throws unless the bridge may change this provider: its owner label is `owner`, or it has none
 * and `adopt` is set. Without `owner` (a manual connect) only an unlabelled provider can be
 * adopted. The owner label to write, if any, is returned.
 */
export function assertMayManage(
  provider: Pick<DcrProvider, 'id' | 'name' | 'labels'>,
  owner: string | undefined,
  adopt: boolean,
): { setOwner: boolean } {
  const ownership = ownershipOf(provider, owner);
  if (ownership === 'owned') return { setOwner: false };
  if (ownership === 'unowned' && adopt) return { setOwner: owner !== undefined };
  throw new ProviderOwnerConflict(provider, ownership);
}
