import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { BridgeError } from '../../../functions/commons/bridge-error';
import { createApplicationRequest } from '../../../functions/contract/create-application-request';
import { eventHookEnvelope } from '../../../functions/contract/event-hook-request';
import { parseBody } from '../../../functions/contract/validation';

function caught(run: () => unknown): BridgeError {
  try {
    run();
  } catch (error) {
    if (error instanceof BridgeError) return error;
    throw error;
  }
  throw new Error('expected a BridgeError');
}

const schema = z.object({ name: z.string().min(1, 'must not be empty'), count: z.number().int() });

describe('parseBody', () => {
  it('returns the parsed output of a valid object', () => {
    expect(parseBody(schema, { name: 'x', count: 2, extra: true })).toEqual({ name: 'x', count: 2 });
  });

  it.each([
    ['a string', 'hello'],
    ['a JSON text that was never parsed', '{"name":"x","count":1}'],
    ['a number', 42],
    ['a boolean', true],
    ['null', null],
    ['undefined', undefined],
    ['an array', [{ name: 'x', count: 1 }]],
    ['an empty array', []],
  ])('refuses %s as invalid_request, even for client metadata', (_label, body) => {
    for (const kind of ['request', 'client_metadata'] as const) {
      const error = caught(() => parseBody(schema, body, kind));
      expect(error.statusCode).toBe(400);
      expect(error.error).toBe('invalid_request');
      expect(error.description).toBe('The request body must be a JSON object.');
    }
  });

  it('names every failing field and its reason in the description', () => {
    const error = caught(() => parseBody(schema, { name: '', count: 1.5 }));
    expect(error.statusCode).toBe(400);
    expect(error.error).toBe('invalid_request');
    expect(error.description).toMatch(/^Invalid request body\. /);
    expect(error.description).toContain('name: must not be empty');
    expect(error.description).toContain('count:');
  });

  it('names nested fields with dotted paths', () => {
    const error = caught(() =>
      parseBody(createApplicationRequest, { client_name: 'a', redirect_uris: ['https://ok.example.com/', 'ftp://x'] }),
    );
    expect(error.description).toContain('redirect_uris.1: must use https:');
  });

  it('uses invalid_client_metadata for create bodies (kind client_metadata)', () => {
    const error = caught(() =>
      parseBody(createApplicationRequest, { redirect_uris: ['https://*.example/'] }, 'client_metadata'),
    );
    expect(error.statusCode).toBe(400);
    expect(error.error).toBe('invalid_client_metadata');
    expect(error.description).toContain('redirect_uris.0: must not contain a wildcard');
  });

  it('uses invalid_request by default', () => {
    const error = caught(() => parseBody(eventHookEnvelope, { client_id: 'abc' }));
    expect(error.error).toBe('invalid_request');
    expect(error.description).toContain('event_type');
  });

  it('lists at most five reasons', () => {
    const wide = z.object(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`field${i}`, z.string()])));
    const error = caught(() => parseBody(wide, {}));
    const named = Array.from({ length: 8 }, (_, i) => `field${i}:`).filter((name) => error.description.includes(name));
    expect(named).toHaveLength(5);
  });

  it('names the canonical form of a non-canonical redirect URI, so the developer can fix it', () => {
    const error = caught(() => parseBody(createApplicationRequest, { redirect_uris: ['https://Example.com'] }));
    expect(error.description).toBe(
      'Invalid request body. redirect_uris.0: must be written in canonical form: use "https://example.com/".',
    );
  });

  it('does not echo a refused scope', () => {
    const error = caught(() =>
      parseBody(createApplicationRequest, { client_name: 'ok', scopes: ['secret-value with space'] }),
    );
    expect(error.description).toContain('scopes.0');
    expect(error.description).not.toContain('secret-value');
  });
});
