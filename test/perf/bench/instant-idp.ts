import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface InstantIdp {
  /** RFC 7591 registration endpoint. */
  registrationEndpoint: string;
  /** Accepted as the initial access token. */
  initialAccessToken: string;
  /** Clients registered and not deleted. */
  clientCount(): number;
  close(): Promise<void>;
}

/**
 * The smallest RFC 7591/7592 IdP that answers at once: POST /register creates a client, DELETE
 * /register/{id} with its registration access token removes it. Nothing is logged or recorded
 * beyond the live clients, so the IdP's own cost stays flat over tens of thousands of requests.
 */
export async function startInstantIdp(): Promise<InstantIdp> {
  const initialAccessToken = randomBytes(16).toString('hex');
  const clients = new Map<string, string>();
  let issued = 0;
  let base = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const bearer = req.headers.authorization?.replace(/^Bearer /, '');
      if (req.method === 'POST' && req.url === '/register' && bearer === initialAccessToken) {
        issued += 1;
        const clientId = `client-${issued}`;
        const rat = randomBytes(16).toString('hex');
        clients.set(clientId, rat);
        const metadata = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        return send(res, 201, {
          ...metadata,
          client_id: clientId,
          client_secret: randomBytes(24).toString('base64url'),
          client_id_issued_at: Math.floor(Date.now() / 1000),
          client_secret_expires_at: 0,
          registration_access_token: rat,
          registration_client_uri: `${base}/register/${clientId}`,
        });
      }
      const clientId = req.url?.match(/^\/register\/([^/?]+)$/)?.[1];
      if (req.method === 'DELETE' && clientId && clients.get(clientId) === bearer) {
        clients.delete(clientId);
        res.writeHead(204).end();
        return;
      }
      send(res, 401, { error: 'invalid_token' });
    });
  });
  // Above every client's own keep-alive, so a warm loop never meets a closed socket.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    registrationEndpoint: `${base}/register`,
    initialAccessToken,
    clientCount: () => clients.size,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
