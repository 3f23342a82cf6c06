/**
 * Request-body checks of the fake Konnect, following the schemas of the Application Auth
 * Strategies API v2.0.6 (Kong/developer.konghq.com
 * api-specs/konnect/application-auth-strategies/v2/openapi.yaml): CreateDcrProviderRequestHttp,
 * CreateDcrConfigHttpInRequest / UpdateDcrConfigHttpInRequest (additionalProperties: false),
 * UpdateDcrProviderRequest (additionalProperties: false), DcrConfigPropertyApiKey, DcrBaseUrl,
 * DcrProviderName, Labels / LabelsUpdate.
 *
 * The `invalid_parameters` items follow InvalidParameterStandard / MinimumLength / MaximumLength /
 * ChoiceItem ({field, rule, reason, source, minimum|maximum|choices}); the `reason` texts are the
 * spec's examples where it has one ("is a required field", "must have at least 8 characters"),
 * otherwise a guess.
 */

export interface InvalidParameter {
  field: string;
  rule: string;
  reason: string;
  source: 'body';
  minimum?: number;
  maximum?: number;
  choices?: string[];
}

type Json = Record<string, unknown>;

const PROVIDER_TYPES = ['auth0', 'azureAd', 'curity', 'okta', 'http'];
/** DcrConfigPropertyApiKey. */
const API_KEY_PATTERN = /^[a-zA-Z0-9_]+$/;
/** Labels: value pattern; keys 1-63 characters, not starting with kong, konnect, mesh, kic or _. */
const LABEL_VALUE_PATTERN = /^[a-z0-9A-Z]{1}([a-z0-9A-Z-._]*[a-z0-9A-Z]+)?$/;
const RESERVED_LABEL_PREFIXES = ['kong', 'konnect', 'mesh', 'kic', '_'];
const HTTP_CONFIG_FIELDS = [
  'dcr_base_url',
  'api_key',
  'disable_event_hooks',
  'disable_refresh_secret',
  'allow_multiple_credentials',
];
const UPDATE_FIELDS = ['name', 'display_name', 'issuer', 'labels', 'dcr_config'];

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class Checker {
  readonly problems: InvalidParameter[] = [];

  constructor(private readonly echoValues: boolean) {}

  add(field: string, rule: string, reason: string, extra: Partial<InvalidParameter> = {}, value?: unknown): void {
    // The spec allows request data in error texts ("Enclose variable values in square brackets");
    // `echoValues` makes the fake do it, so that tests prove the client redacts what comes back.
    const shown = this.echoValues && typeof value === 'string' ? ` [${value}]` : '';
    this.problems.push({ field, rule, reason: `${reason}${shown}`, source: 'body', ...extra });
  }

  string(body: Json, field: string, path: string, { required = false, min = 0, max = 256 } = {}): void {
    const value = body[field];
    if (value === undefined) {
      if (required) this.add(path, 'required', 'is a required field');
      return;
    }
    if (typeof value !== 'string') {
      this.add(path, 'is_string', 'must be a string');
      return;
    }
    if (value.length < min) {
      this.add(path, 'min_length', `must have at least ${min} characters`, { minimum: min }, value);
    } else if (value.length > max) {
      this.add(path, 'max_length', `must not have more than ${max} characters`, { maximum: max }, value);
    }
  }

  url(body: Json, field: string, path: string, required: boolean): void {
    const before = this.problems.length;
    this.string(body, field, path, { required, min: 1, max: 256 });
    const value = body[field];
    if (this.problems.length > before || typeof value !== 'string') return;
    let parsed: URL | undefined;
    try {
      parsed = new URL(value);
    } catch {
      parsed = undefined;
    }
    // format: url; the exact rule Konnect applies is a guess (absolute http(s) URL).
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      this.add(path, 'invalid', 'must be a valid url', {}, value);
    }
  }

  boolean(body: Json, field: string, path: string): void {
    if (body[field] !== undefined && typeof body[field] !== 'boolean')
      this.add(path, 'is_boolean', 'must be a boolean');
  }

  unknown(body: Json, allowed: string[], prefix: string): void {
    for (const field of Object.keys(body)) {
      if (!allowed.includes(field)) this.add(`${prefix}${field}`, 'unknown_property', 'is an unknown property');
    }
  }

  apiKey(config: Json, required: boolean): void {
    const before = this.problems.length;
    // The key itself is never echoed, even with echoValues: a real Konnect may not either.
    this.string(config, 'api_key', 'dcr_config.api_key', { required, min: 12, max: 256 });
    const value = config.api_key;
    if (this.problems.length === before && typeof value === 'string' && !API_KEY_PATTERN.test(value)) {
      this.add('dcr_config.api_key', 'matches_regex', 'must match the pattern ^[a-zA-Z0-9_]+$');
    }
  }

  httpConfig(config: unknown, creating: boolean): void {
    if (!isObject(config)) {
      this.add('dcr_config', creating && config === undefined ? 'required' : 'is_object', 'must be an object');
      return;
    }
    this.unknown(config, HTTP_CONFIG_FIELDS, 'dcr_config.');
    this.url(config, 'dcr_base_url', 'dcr_config.dcr_base_url', creating);
    this.apiKey(config, creating);
    for (const flag of HTTP_CONFIG_FIELDS.slice(2)) this.boolean(config, flag, `dcr_config.${flag}`);
  }

  labels(labels: unknown, update: boolean): void {
    if (labels === undefined || (update && labels === null)) return;
    if (!isObject(labels)) {
      this.add('labels', 'is_object', 'must be an object');
      return;
    }
    const entries = Object.entries(labels);
    if (entries.length > 50) this.add('labels', 'max_items', 'must not have more than 50 labels', { maximum: 50 });
    for (const [key, value] of entries) {
      if (key.length < 1 || key.length > 63 || RESERVED_LABEL_PREFIXES.some((prefix) => key.startsWith(prefix))) {
        this.add(`labels.${key}`, 'is_label', 'is not a valid label key');
      }
      if (update && value === null) continue;
      if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE_PATTERN.test(value)) {
        this.add(`labels.${key}`, 'is_label', 'is not a valid label value', {}, value);
      }
    }
  }
}

/** `POST /dcr-providers`: CreateDcrProviderRequest (the fake creates HTTP providers only). */
export function checkCreate(body: unknown, echoValues = false): InvalidParameter[] {
  const check = new Checker(echoValues);
  if (!isObject(body)) {
    check.add('body', 'is_object', 'must be a JSON object');
    return check.problems;
  }
  const type = body.provider_type;
  if (type === undefined) check.add('provider_type', 'required', 'is a required field');
  else if (typeof type !== 'string' || !PROVIDER_TYPES.includes(type)) {
    check.add('provider_type', 'enum', 'must be one of the choices', { choices: PROVIDER_TYPES });
  } else if (type !== 'http') {
    // A limit of the fake, not of Konnect: tests seed other types with seedProvider().
    check.add('provider_type', 'invalid', 'the fake Konnect creates http providers only');
  }
  check.string(body, 'name', 'name', { required: true, min: 1 });
  check.string(body, 'display_name', 'display_name', { min: 1 });
  check.url(body, 'issuer', 'issuer', true);
  check.httpConfig(body.dcr_config, true);
  check.labels(body.labels, false);
  return check.problems;
}

/** `PATCH /dcr-providers/{id}`: UpdateDcrProviderRequest, with the HTTP dcr_config. */
export function checkUpdate(body: unknown, echoValues = false): InvalidParameter[] {
  const check = new Checker(echoValues);
  if (!isObject(body)) {
    check.add('body', 'is_object', 'must be a JSON object');
    return check.problems;
  }
  check.unknown(body, UPDATE_FIELDS, '');
  check.string(body, 'name', 'name', { min: 1 });
  check.string(body, 'display_name', 'display_name', { min: 1 });
  check.url(body, 'issuer', 'issuer', false);
  if (body.dcr_config !== undefined) check.httpConfig(body.dcr_config, false);
  check.labels(body.labels, true);
  return check.problems;
}
