// Floor A: the smallest handler doing the bridge's one IdP call, a fresh node process that sends
// one RFC 7591 registration over node:http to the same IdP and exits.
// argv: <registration endpoint> <initial access token>. Reports on fd 3 like cold-start-child.mjs.
import { postRegistration, reportAndExit } from './http-floor.mjs';

const [endpoint, token] = process.argv.slice(2);
reportAndExit(await postRegistration(endpoint, token));
