'use strict';

// The shop's HTTP API (Lambda handler `api.handler`, behind the project's CloudFront).
// GET /health needs no token. Every other route needs `Authorization: Bearer <token>`, a short-lived RS256 JWT from the
// project's access endpoint (POST /auth/token with an API key), and the scope the route names below. Tokens are verified
// by @openkbs/auth, the layer the operator publishes for the project (signature against the project's JWKS, expiry,
// audience = this project, scope). Without the layer every request but /health is refused: the function fails closed.

const VERSION = '1.0.0';

// Per-route scopes: an API key's permissions in the Project spec become its tokens' scopes.
const ROUTES = {
  'GET /orders': 'orders:read',
  'POST /orders': 'orders:write',
};

function respond(statusCode, body) {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

function helper() {
  try {
    return require('@openkbs/auth');
  } catch {
    return undefined;
  }
}

exports.handler = async (event) => {
  const path = (event && (event.rawPath || event.path)) || '/';
  const method = ((event && ((event.requestContext && event.requestContext.http && event.requestContext.http.method) || event.httpMethod)) || 'GET').toUpperCase();
  if (path === '/health') {
    return respond(200, { status: 'ok', service: 'shop', version: VERSION });
  }

  const scope = ROUTES[`${method} ${path}`];
  if (scope === undefined) {
    return respond(404, { error: 'not found' });
  }

  const auth = helper();
  if (auth === undefined) {
    return respond(503, { error: 'authentication unavailable' });
  }

  const access = await auth.requireScope(event, scope);
  if (!access.ok) {
    return access.response;
  }

  if (method === 'POST') {
    return respond(201, { service: 'shop', version: VERSION, accepted: true, by: access.claims.sub });
  }

  return respond(200, { service: 'shop', version: VERSION, path, orders: [] });
};
