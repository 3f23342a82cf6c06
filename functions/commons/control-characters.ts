// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F]/g;

export const hasControlCharacters = (value: string) => value.search(CONTROL_CHARACTERS) !== -1;
