/**
 * The setting an AADSTS code from the bridge's own token request is about, as Microsoft documents
 * the codes (https://learn.microsoft.com/entra/identity-platform/reference-error-codes). A wrong
 * scope is not a wrong secret: each code gets the advice for what it names.
 */
const ADVICE: ReadonlyArray<[codes: readonly number[], advice: string]> = [
  [
    [500011],
    'Entra: the tenant has no resource named by the Graph scope; check IDP_ENTRA_GRAPH_SCOPE (or IDP_ENTRA_GRAPH_URL, from which it is derived), e.g. https://graph.microsoft.com/.default.',
  ],
  [
    [70011, 1002012],
    'Entra: the Graph scope is not valid for client credentials; IDP_ENTRA_GRAPH_SCOPE must be a resource followed by /.default, e.g. https://graph.microsoft.com/.default.',
  ],
  [
    [7000215],
    "Entra: the bridge's client_secret is wrong; put the secret's value (not its id) into the bridge's Entra credentials.",
  ],
  [
    [7000222],
    "Entra: the bridge's client_secret has expired; add a new one to the bridge's app registration and put it into the bridge's Entra credentials.",
  ],
  [
    [700016],
    "Entra: the tenant has no application with the bridge's client_id; check client_id (the application (client) id) and IDP_ENTRA_TENANT_ID.",
  ],
  [[90002, 900023], 'Entra: no such tenant; check IDP_ENTRA_TENANT_ID (and IDP_ENTRA_LOGIN_URL in a national cloud).'],
];

const FALLBACK = 'Entra: check client_id, client_secret and IDP_ENTRA_TENANT_ID.';

/** Advice for a description carrying Entra's AADSTS code; undefined when it carries none. */
export function tokenErrorAdvice(description: string): string | undefined {
  const code = /AADSTS(\d+)/.exec(description)?.[1];
  if (code === undefined) return undefined;
  return ADVICE.find(([codes]) => codes.includes(Number(code)))?.[1] ?? FALLBACK;
}
