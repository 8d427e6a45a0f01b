'use strict';

// The shop's HTTP API (Lambda handler `api.handler`, behind CloudFront).
// GET /health needs no key; every other request needs an `x-api-key` header whose SHA-256
// is one of the hashes the operator provides in OPENKBS_API_KEY_SHA256 (comma-separated hex).
// Without that variable every request but /health is refused: the function fails closed.

const crypto = require('node:crypto');

const VERSION = '1.0.0';

function keyHashes() {
  return new Set(
    (process.env.OPENKBS_API_KEY_SHA256 || '')
      .split(',')
      .map((hash) => hash.trim().toLowerCase())
      .filter((hash) => hash.length === 64),
  );
}

function header(event, name) {
  const headers = (event && event.headers) || {};
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? '' : String(headers[key]);
}

function respond(statusCode, body) {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

exports.handler = async (event) => {
  const path = (event && (event.rawPath || event.path)) || '/';
  if (path === '/health') {
    return respond(200, { status: 'ok', service: 'shop', version: VERSION });
  }

  const key = header(event, 'x-api-key');
  const hash = crypto.createHash('sha256').update(key, 'utf8').digest('hex');
  if (key.length === 0 || !keyHashes().has(hash)) {
    return respond(401, { error: 'a valid x-api-key header is required' });
  }

  return respond(200, { service: 'shop', version: VERSION, path, orders: [] });
};
