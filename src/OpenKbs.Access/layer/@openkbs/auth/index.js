'use strict';

// @openkbs/auth: the runtime helper for a project's functions (published by the operator as a Lambda layer, this folder at
// nodejs/node_modules/@openkbs/auth). Verifies the project's access tokens (RS256 JWTs signed by the project's KMS key,
// issued by POST /auth/token) against the project's JWKS and checks expiry, audience and scope. Node.js built-ins only.
//
//   const { requireScope } = require('@openkbs/auth');
//   exports.handler = async (event) => {
//     const auth = await requireScope(event, 'orders:read');
//     if (!auth.ok) return auth.response;        // 401 or 403, generic message
//     ... auth.claims.sub is the API key's name
//   };
//
// Configuration (environment): OPENKBS_PROJECT_UID (set by the operator on every function; the audience is derived from it),
// OPENKBS_JWKS_URL (https URL of the project's /auth/jwks.json) or OPENKBS_JWKS (the JWKS as JSON, e.g. in tests).

const crypto = require('node:crypto');

const MAX_TOKEN_LENGTH = 4096;
const CLOCK_SKEW_SECONDS = 30;
const MAX_LIFETIME_SECONDS = 900;
const JWKS_TTL_MS = 5 * 60 * 1000;
const JWKS_MIN_REFRESH_MS = 30 * 1000;
const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** The audience of a project's tokens: bound to the Project's uid, so a token of another project (or of a deleted and
 * recreated one of the same name) is refused. */
function audienceOf(projectUid) {
  return `urn:openkbs:project:${projectUid}`;
}

class AuthError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'AuthError';
    this.status = status;
  }
}

function refuse() {
  return new AuthError(401, 'invalid or expired token');
}

function decodeJson(segment) {
  if (!SEGMENT.test(segment)) {
    throw refuse();
  }
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw refuse();
    }
    return value;
  } catch {
    throw refuse();
  }
}

/** Whether the granted scopes cover `required`: equal, `*`, or a `prefix:*` grant. */
function hasScope(granted, required) {
  return granted.some((scope) => scope === required || scope === '*'
    || (scope.endsWith(':*') && required.startsWith(scope.slice(0, -1))));
}

function scopesOf(claims) {
  return typeof claims.scope === 'string' ? claims.scope.split(' ').filter((s) => s.length > 0) : [];
}

/**
 * Verifies a compact JWS: alg RS256 only (anything else, `none` or HS256 included, is refused before any key is used),
 * a `kid` found in `keys` (JWKS `keys` array of RSA keys), the signature, `exp` (required, at most 15 minutes after `iat`,
 * with a small clock skew), `nbf`/`iat` not in the future, `aud` equal to `audience`. Throws AuthError(401) with a
 * generic message on any failure. Returns the claims.
 */
function verifyWith(token, keys, audience, now = Date.now()) {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    throw refuse();
  }
  const parts = token.split('.');
  if (parts.length !== 3 || !SEGMENT.test(parts[2])) {
    throw refuse();
  }
  const header = decodeJson(parts[0]);
  if (header.alg !== 'RS256' || typeof header.kid !== 'string' || header.crit !== undefined) {
    throw refuse();
  }
  const jwk = (keys || []).find((k) => k && k.kid === header.kid && k.kty === 'RSA' && (k.alg === undefined || k.alg === 'RS256'));
  if (!jwk) {
    throw refuse();
  }
  let publicKey;
  try {
    publicKey = crypto.createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
  } catch {
    throw refuse();
  }
  const valid = crypto.verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'), publicKey, Buffer.from(parts[2], 'base64url'));
  if (!valid) {
    throw refuse();
  }
  const claims = decodeJson(parts[1]);
  const seconds = Math.floor(now / 1000);
  if (!Number.isInteger(claims.exp) || !Number.isInteger(claims.iat)
    || claims.exp + CLOCK_SKEW_SECONDS <= seconds
    || claims.iat - CLOCK_SKEW_SECONDS > seconds
    || (claims.nbf !== undefined && (!Number.isInteger(claims.nbf) || claims.nbf - CLOCK_SKEW_SECONDS > seconds))
    || claims.exp - claims.iat > MAX_LIFETIME_SECONDS) {
    throw refuse();
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (typeof audience !== 'string' || audience.length === 0 || !audiences.includes(audience)) {
    throw refuse();
  }
  return claims;
}

let cache = { url: undefined, keys: undefined, fetchedAt: 0 };

async function fetchKeys(url, force) {
  const age = Date.now() - cache.fetchedAt;
  if (cache.url === url && cache.keys && (force ? age < JWKS_MIN_REFRESH_MS : age < JWKS_TTL_MS)) {
    return cache.keys;
  }
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(3000) });
  if (!response.ok) {
    throw new AuthError(503, 'token keys unavailable');
  }
  const body = await response.json();
  if (!body || !Array.isArray(body.keys)) {
    throw new AuthError(503, 'token keys unavailable');
  }
  cache = { url, keys: body.keys, fetchedAt: Date.now() };
  return body.keys;
}

/** The JWKS keys from OPENKBS_JWKS (inline JSON) or OPENKBS_JWKS_URL (cached 5 min; refetched once for an unknown kid). */
async function projectKeys(force = false) {
  if (process.env.OPENKBS_JWKS) {
    try {
      return JSON.parse(process.env.OPENKBS_JWKS).keys || [];
    } catch {
      throw new AuthError(503, 'token keys unavailable');
    }
  }
  const url = process.env.OPENKBS_JWKS_URL;
  if (!url) {
    throw new AuthError(503, 'token keys unavailable');
  }
  return fetchKeys(url, force);
}

function kidOf(token) {
  try {
    return decodeJson(String(token).split('.')[0]).kid;
  } catch {
    return undefined;
  }
}

/** Verifies a token with the project's keys and audience (from the environment); throws AuthError. */
async function verifyToken(token, options = {}) {
  const audience = options.audience || (process.env.OPENKBS_PROJECT_UID ? audienceOf(process.env.OPENKBS_PROJECT_UID) : undefined);
  let keys = options.keys || await projectKeys();
  if (!options.keys && !keys.some((k) => k && k.kid === kidOf(token))) {
    keys = await projectKeys(true);
  }
  return verifyWith(token, keys, audience, options.now);
}

/** A request header of a Lambda event, case-insensitive, or ''. */
function header(event, name) {
  const headers = (event && event.headers) || {};
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? '' : String(headers[key]);
}

/** The bearer token of a Lambda (Function URL / API Gateway v2 / CloudFront-forwarded) event, or ''. */
function bearerToken(event) {
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header(event, 'authorization'));
  return match ? match[1] : '';
}

function errorResponse(status, message) {
  const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  if (status === 401) {
    headers['www-authenticate'] = 'Bearer';
  }
  return { statusCode: status, headers, body: JSON.stringify({ error: message }) };
}

/**
 * Requires a valid token with `scope` on a handler's event. Returns `{ ok: true, claims, scopes }`, or
 * `{ ok: false, status, response }` with a ready Lambda response (401 no/invalid token, 403 scope missing).
 */
async function requireScope(event, scope, options = {}) {
  try {
    const claims = await verifyToken(bearerToken(event), options);
    const scopes = scopesOf(claims);
    if (!hasScope(scopes, scope)) {
      return { ok: false, status: 403, response: errorResponse(403, 'insufficient scope') };
    }
    return { ok: true, claims, scopes };
  } catch (error) {
    const status = error instanceof AuthError ? error.status : 401;
    const message = status === 503 ? 'token keys unavailable' : 'invalid or expired token';
    return { ok: false, status, response: errorResponse(status, message) };
  }
}

function resetCache() {
  cache = { url: undefined, keys: undefined, fetchedAt: 0 };
}

module.exports = { AuthError, audienceOf, bearerToken, errorResponse, hasScope, header, requireScope, resetCache, scopesOf, verifyToken, verifyWith };
