/**
 * KEY_REFRESH_MIN_INTERVAL_SECONDS by default: a key that matches no cached one makes a container
 * re-read its keys at most this often (konnect-key-verifier.ts). A rotation must wait this long
 * after storing a new key before Konnect may send it.
 */
export const DEFAULT_KEY_REFRESH_MIN_INTERVAL_SECONDS = 10;
