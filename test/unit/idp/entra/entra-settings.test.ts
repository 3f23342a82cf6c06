import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../../../functions/commons/configuration-error';
import { createIdpAdapter } from '../../../../functions/idp/create-idp-adapter';
import { entraSettingsSchema } from '../../../../functions/idp/entra/entra-settings';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('entraSettingsSchema', () => {
  it('defaults to the global cloud, a 365-day secret, and soft delete', () => {
    expect(entraSettingsSchema.parse({ IDP_ENTRA_TENANT_ID: TENANT })).toEqual({
      tokenEndpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
      graphApiUrl: 'https://graph.microsoft.com/v1.0',
      graphScope: 'https://graph.microsoft.com/.default',
      secretLifetimeDays: 365,
      permanentDelete: false,
    });
  });

  it('builds every URL from the configured hosts, for national clouds and test servers', () => {
    const settings = entraSettingsSchema.parse({
      IDP_ENTRA_TENANT_ID: 'contoso.partner.onmschina.cn',
      IDP_ENTRA_LOGIN_URL: 'https://login.chinacloudapi.cn/',
      IDP_ENTRA_GRAPH_URL: 'https://microsoftgraph.chinacloudapi.cn//',
      IDP_ENTRA_SECRET_LIFETIME_DAYS: '90',
      IDP_ENTRA_PERMANENT_DELETE: 'true',
    });
    expect(settings).toEqual({
      tokenEndpoint: 'https://login.chinacloudapi.cn/contoso.partner.onmschina.cn/oauth2/v2.0/token',
      graphApiUrl: 'https://microsoftgraph.chinacloudapi.cn/v1.0',
      graphScope: 'https://microsoftgraph.chinacloudapi.cn/.default',
      secretLifetimeDays: 90,
      permanentDelete: true,
    });
  });

  it('takes the Graph scope from IDP_ENTRA_GRAPH_SCOPE when Graph is reached through a proxy', () => {
    const settings = entraSettingsSchema.parse({
      IDP_ENTRA_TENANT_ID: TENANT,
      IDP_ENTRA_GRAPH_URL: 'https://egress.internal.example.com/graph',
      IDP_ENTRA_GRAPH_SCOPE: 'https://graph.microsoft.com/.default',
    });
    expect(settings.graphApiUrl).toBe('https://egress.internal.example.com/graph/v1.0');
    expect(settings.graphScope).toBe('https://graph.microsoft.com/.default');
  });

  it('treats empty strings as unset', () => {
    const settings = entraSettingsSchema.parse({
      IDP_ENTRA_TENANT_ID: TENANT,
      IDP_ENTRA_LOGIN_URL: '',
      IDP_ENTRA_GRAPH_URL: '',
      IDP_ENTRA_GRAPH_SCOPE: '',
      IDP_ENTRA_SECRET_LIFETIME_DAYS: '',
      IDP_ENTRA_PERMANENT_DELETE: '',
    });
    expect(settings.secretLifetimeDays).toBe(365);
    expect(settings.graphScope).toBe('https://graph.microsoft.com/.default');
  });

  it.each([
    ['a missing tenant', {}, 'IDP_ENTRA_TENANT_ID'],
    ['the multi-tenant alias common', { IDP_ENTRA_TENANT_ID: 'common' }, 'IDP_ENTRA_TENANT_ID'],
    ['a tenant that would change the token path', { IDP_ENTRA_TENANT_ID: '../x' }, 'IDP_ENTRA_TENANT_ID'],
    [
      'a login URL that is no URL',
      { IDP_ENTRA_TENANT_ID: TENANT, IDP_ENTRA_LOGIN_URL: 'login' },
      'IDP_ENTRA_LOGIN_URL',
    ],
    [
      'a Graph URL with a query',
      { IDP_ENTRA_TENANT_ID: TENANT, IDP_ENTRA_GRAPH_URL: 'https://graph.microsoft.com/?x=1' },
      'IDP_ENTRA_GRAPH_URL',
    ],
    [
      'a cleartext login URL to another host',
      { IDP_ENTRA_TENANT_ID: TENANT, IDP_ENTRA_LOGIN_URL: 'http://login.microsoftonline.com' },
      'IDP_ENTRA_LOGIN_URL',
    ],
    [
      'a cleartext Graph URL to another host',
      { IDP_ENTRA_TENANT_ID: TENANT, IDP_ENTRA_GRAPH_URL: 'http://graph.microsoft.com' },
      'IDP_ENTRA_GRAPH_URL',
    ],
    [
      'a zero lifetime',
      { IDP_ENTRA_TENANT_ID: TENANT, IDP_ENTRA_SECRET_LIFETIME_DAYS: '0' },
      'IDP_ENTRA_SECRET_LIFETIME_DAYS',
    ],
    ['a yes/no flag', { IDP_ENTRA_TENANT_ID: TENANT, IDP_ENTRA_PERMANENT_DELETE: 'yes' }, 'IDP_ENTRA_PERMANENT_DELETE'],
  ])('refuses %s', (_label, env, setting) => {
    const result = entraSettingsSchema.safeParse(env);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(setting);
  });

  it('makes the bridge answer with a configuration error naming the setting, at cold start', () => {
    const create = () =>
      createIdpAdapter(
        { idpType: 'entra', callTimeoutMs: 1000, env: {} },
        {
          credentials: async () => ({}),
          store: () => {
            throw new Error('Entra needs no registration store');
          },
        },
      );
    expect(create).toThrow(ConfigurationError);
    expect(create).toThrow(/IDP_ENTRA_TENANT_ID/);
  });
});
