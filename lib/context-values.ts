import type { Node } from 'constructs';

/**
 * Typed readers for CDK context. Values from `-c key=value` arrive as strings, values from
 * cdk.json as JSON, so each reader accepts both; anything unusable fails the synth.
 */
export function optionalString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context ${key} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

export function optionalNumber(node: Node, key: string, { integer = true } = {}): number | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  const parsed = typeof value === 'string' ? Number(value) : value;
  const valid = typeof parsed === 'number' && (integer ? Number.isInteger(parsed) : Number.isFinite(parsed));
  if (!valid) {
    throw new Error(`context ${key} must be ${integer ? 'an integer' : 'a number'}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

export function optionalBoolean(node: Node, key: string): boolean | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${key} must be true or false, got ${JSON.stringify(value)}`);
}

/** A JSON array of strings (cdk.json, or `-c key='["a","b"]'`) or a comma-separated string. */
export function optionalStringList(node: Node, key: string): string[] | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  let list: unknown = value;
  if (typeof value === 'string') {
    list = value.trim().startsWith('[') ? parseJson(value, key) : value.split(',');
  }
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
    throw new Error(`context ${key} must be a JSON array of strings or a comma-separated list`);
  }
  return list.map((item) => item.trim()).filter((item) => item !== '');
}

function parseJson(value: string, key: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`context ${key} must be a JSON array of strings or a comma-separated list`);
  }
}
