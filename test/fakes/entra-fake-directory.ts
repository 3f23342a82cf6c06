import { randomBytes, randomUUID } from 'node:crypto';

/** The Graph `passwordCredential`; `secretText` is only ever returned by addPassword. */
export interface FakePassword {
  keyId: string;
  displayName: string | null;
  hint: string;
  secretText: string;
  startDateTime: string;
  endDateTime: string;
}

export interface FakeApplication {
  id: string;
  appId: string;
  displayName: string;
  description: string | null;
  notes: string | null;
  tags: string[];
  signInAudience: string;
  createdDateTime: string;
  web: { redirectUris: string[]; implicitGrantSettings?: unknown; [key: string]: unknown };
  publicClient: { redirectUris: string[] };
  passwordCredentials: FakePassword[];
  /** Client id of the app that created it: Application.ReadWrite.OwnedBy only reaches these. */
  ownerClientId: string | null;
  /** Calls that still see "not replicated yet" (the first N after the create). */
  pendingReplication: { addPassword: number; servicePrincipal: number };
}

export interface FakeServicePrincipal {
  id: string;
  appId: string;
}

export interface FakeToken {
  clientId: string;
  /** The resource of the requested `{resource}/.default` scope. */
  resource: string;
  expiresAt: number;
}

export type GraphPermission = 'Application.ReadWrite.OwnedBy' | 'Application.ReadWrite.All';

/** One Entra tenant's state: applications, service principals, deleted items, issued tokens. */
export class FakeDirectory {
  readonly applications = new Map<string, FakeApplication>();
  readonly servicePrincipals = new Map<string, FakeServicePrincipal>();
  readonly deletedItems = new Map<string, FakeApplication>();
  readonly tokens = new Map<string, FakeToken>();
  /** Every secret and token ever handed out, so tests can check none of them leaks. */
  readonly issuedSecrets: string[] = [];
  /** The Graph application permission consented for the bridge's app. */
  permission: GraphPermission = 'Application.ReadWrite.OwnedBy';
  replicationDelay = 0;

  constructor(
    readonly tenantId: string,
    readonly admin: { clientId: string; clientSecret: string },
  ) {
    this.issuedSecrets.push(admin.clientSecret);
  }

  createApplication(body: Record<string, unknown>, ownerClientId: string | null): FakeApplication {
    const web = (body.web ?? {}) as FakeApplication['web'];
    const publicClient = (body.publicClient ?? {}) as Partial<FakeApplication['publicClient']>;
    const app: FakeApplication = {
      id: randomUUID(),
      appId: randomUUID(),
      displayName: String(body.displayName),
      description: typeof body.description === 'string' ? body.description : null,
      notes: typeof body.notes === 'string' ? body.notes : null,
      tags: Array.isArray(body.tags) ? body.tags.map(String) : [],
      signInAudience: typeof body.signInAudience === 'string' ? body.signInAudience : 'AzureADMyOrg',
      createdDateTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      web: { ...web, redirectUris: web.redirectUris ?? [] },
      publicClient: { redirectUris: publicClient.redirectUris ?? [] },
      passwordCredentials: [],
      ownerClientId,
      pendingReplication: { addPassword: this.replicationDelay, servicePrincipal: this.replicationDelay },
    };
    this.applications.set(app.id, app);
    return app;
  }

  findByAppId(appId: string): FakeApplication | undefined {
    return [...this.applications.values()].find((app) => app.appId === appId);
  }

  addPassword(app: FakeApplication, request: { displayName?: unknown; endDateTime?: unknown }): FakePassword {
    const secretText = `${randomBytes(3).toString('hex')}~${randomBytes(27).toString('base64url')}`;
    const now = new Date();
    const end = typeof request.endDateTime === 'string' ? new Date(request.endDateTime) : addYears(now, 2);
    const password: FakePassword = {
      keyId: randomUUID(),
      displayName: typeof request.displayName === 'string' ? request.displayName : null,
      hint: secretText.slice(0, 3),
      secretText,
      startDateTime: now.toISOString(),
      endDateTime: end.toISOString(),
    };
    app.passwordCredentials.push(password);
    this.issuedSecrets.push(secretText);
    return password;
  }

  createServicePrincipal(appId: string): FakeServicePrincipal {
    const principal = { id: randomUUID(), appId };
    this.servicePrincipals.set(principal.id, principal);
    return principal;
  }

  servicePrincipalOf(appId: string): FakeServicePrincipal | undefined {
    return [...this.servicePrincipals.values()].find((principal) => principal.appId === appId);
  }

  /**
   * Deleted applications move to deleted items for 30 days; their secrets stop working at once.
   * https://learn.microsoft.com/graph/api/resources/directory
   */
  deleteApplication(app: FakeApplication): void {
    this.applications.delete(app.id);
    this.deletedItems.set(app.id, app);
  }

  issueToken(clientId: string, resource: string): string {
    const token = `fake-entra-at.${randomBytes(32).toString('base64url')}`;
    this.tokens.set(token, { clientId, resource, expiresAt: Date.now() + 3599_000 });
    this.issuedSecrets.push(token);
    return token;
  }

  /**
   * Whether the bridge's app may change this application: Application.ReadWrite.OwnedBy reaches only
   * the apps it owns (https://learn.microsoft.com/graph/permissions-reference#applicationreadwriteownedby),
   * while reads of other apps still succeed, as reported in
   * https://techcommunity.microsoft.com/discussions/officegraph/application-readwrite-ownedby-list-all-applications-owned-by-the-calling-applica/2243298
   */
  mayManage(app: FakeApplication): boolean {
    return this.permission === 'Application.ReadWrite.All' || app.ownerClientId === this.admin.clientId;
  }
}

/**
 * The representation Graph returns: never the secret text, only its first characters (`hint`).
 * https://learn.microsoft.com/graph/api/resources/passwordcredential
 */
export function applicationView(app: FakeApplication): Record<string, unknown> {
  const { ownerClientId: _owner, pendingReplication: _pending, passwordCredentials, ...visible } = app;
  return {
    ...visible,
    passwordCredentials: passwordCredentials.map(({ secretText: _secret, ...password }) => ({
      ...password,
      secretText: null,
    })),
  };
}

function addYears(date: Date, years: number): Date {
  const next = new Date(date);
  next.setUTCFullYear(next.getUTCFullYear() + years);
  return next;
}
