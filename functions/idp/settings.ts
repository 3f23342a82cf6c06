import * as z from 'zod';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

/** Shapes of adapter settings read from the environment; "" counts as unset. */
export const optionalSetting = z.preprocess(emptyToUndefined, z.string().optional());
export const requiredSetting = z.preprocess(emptyToUndefined, z.string({ error: 'required' }).min(1));
export const optionalUrlSetting = z.preprocess(
  emptyToUndefined,
  z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
);
export const requiredUrlSetting = z.preprocess(
  emptyToUndefined,
  z.url({ protocol: /^https?$/, error: 'required: an http(s) URL' }),
);
