'use strict';

// The access function and the @openkbs/auth helper against moto's KMS and STS: the token flow with keys sealed as the
// operator seals them, JWKS and rotation, MQTT URLs, and refusals of bad input. Run: npm test (NODE_PATH=layer).

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { after, before, describe, it } = require('node:test');
const { KMSClient, CreateKeyCommand, GenerateDataKeyCommand, GetPublicKeyCommand, SignCommand, VerifyCommand } = require('@aws-sdk/client-kms');
const { STSClient } = require('@aws-sdk/client-sts');
const support = require('./support');

const PROJECT = 'acme/Project/shop';
const UID = crypto.randomUUID();
const OTHER_UID = crypto.randomUUID();
const IOT_ENDPOINT = 'a1b2c3d4e5f6g7-ats.iot.eu-central-1.amazonaws.com';

let moto;
let kms;
let projectKey;
let signingKey;
let otherSigningKey;
let access;
let auth;
const partnerKey = support.generateKey();
const writerKey = support.generateKey();

async function createSigningKey() {
  const created = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: 'okbs test signing key' }));
  return created.KeyMetadata.Arn;
}

async function sealKeys(keys, uid = UID) {
  return support.seal(kms, GenerateDataKeyCommand, projectKey, support.renderKeys(keys),
    { 'openkbs.com/owner': PROJECT, 'openkbs.com/uid': uid, 'openkbs.com/purpose': 'OPENKBS_API_KEYS' });
}

function keyEntry(name, key, permissions, deployment = '1.0.0+0123456789ab') {
  return { name, sha256: support.sha256Hex(key), permissions, deployment };
}

/** Sets the access function's environment for a project and forgets its caches. */
async function configure({ uid = UID, keys, signing = signingKey, previous } = {}) {
  Object.assign(process.env, {
    OPENKBS_PROJECT: PROJECT,
    OPENKBS_PROJECT_UID: uid,
    OPENKBS_API_KEYS: await sealKeys(keys ?? [keyEntry('partner', partnerKey, ['orders:read', 'mqtt:connect']), keyEntry('writer', writerKey, ['orders:*'])], uid),
    OPENKBS_SIGNING_KEY: signing,
    OPENKBS_TOKEN_LIFETIME_SECONDS: '600',
    OPENKBS_IOT_ENDPOINT: IOT_ENDPOINT,
    OPENKBS_IOT_ROLE_ARN: 'arn:aws:iam::123456789012:role/okbs-shop-iot',
    OPENKBS_IOT_TOPIC_PREFIX: 'okbs/shop/',
    OPENKBS_IOT_CLIENT_ID_PREFIX: 'okbs-1a2b3c4d-',
  });
  delete process.env.OPENKBS_PREVIOUS_SIGNING_KEY;
  if (previous) {
    process.env.OPENKBS_PREVIOUS_SIGNING_KEY = previous;
  }
  access.reset();
}

async function token(key) {
  const response = await access.handler(support.event('POST', '/auth/token', { headers: { 'x-api-key': key } }));
  return { response, body: JSON.parse(response.body) };
}

async function jwks() {
  const response = await access.handler(support.event('GET', '/auth/jwks.json'));
  assert.equal(response.statusCode, 200);
  return JSON.parse(response.body);
}

function bearer(value) {
  return support.event('GET', '/orders', { headers: { authorization: `Bearer ${value}` } });
}

before(async () => {
  moto = await support.startMoto();
  support.awsEnvironment(moto.endpoint);
  kms = new KMSClient({});
  projectKey = (await kms.send(new CreateKeyCommand({ Description: 'okbs project key' }))).KeyMetadata.Arn;
  signingKey = await createSigningKey();
  otherSigningKey = await createSigningKey();
  access = require('../function/index.js');
  auth = require('@openkbs/auth');
});

after(async () => {
  kms?.destroy();
  await moto?.stop();
});

describe('KMS asymmetric signing key (moto)', () => {
  it('signs RSASSA_PKCS1_V1_5_SHA_256 and publishes an RSA public key that verifies the signature', async () => {
    const message = Buffer.from('header.payload');
    const signed = await kms.send(new SignCommand({ KeyId: signingKey, Message: message, MessageType: 'RAW', SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }));
    const published = await kms.send(new GetPublicKeyCommand({ KeyId: signingKey }));
    const publicKey = crypto.createPublicKey({ key: Buffer.from(published.PublicKey), format: 'der', type: 'spki' });

    assert.equal(published.KeySpec ?? published.CustomerMasterKeySpec, 'RSA_2048');
    assert.ok(crypto.verify('RSA-SHA256', message, publicKey, Buffer.from(signed.Signature)));
    const verified = await kms.send(new VerifyCommand({ KeyId: signingKey, Message: message, MessageType: 'RAW', Signature: signed.Signature, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }));
    assert.equal(verified.SignatureValid, true);
  });
});

describe('POST /auth/token', () => {
  before(() => configure());

  it('exchanges a current key for an RS256 JWT that jose verifies with the JWKS (audience, lifetime, scopes, kid)', async () => {
    const { jwtVerify, createLocalJWKSet, decodeProtectedHeader } = await import('jose');
    const { response, body } = await token(partnerKey);

    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'no-store');
    const { payload, protectedHeader } = await jwtVerify(body.access_token, createLocalJWKSet(await jwks()), {
      algorithms: ['RS256'], audience: auth.audienceOf(UID), issuer: `urn:openkbs:project:${PROJECT}`,
    });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(decodeProtectedHeader(body.access_token).kid, signingKey.split('/').pop());
    assert.equal(payload.sub, 'partner');
    assert.equal(payload.scope, 'orders:read mqtt:connect');
    assert.equal(payload.exp - payload.iat, 600);
    assert.equal(body.expires_in, 600);
  });

  it('accepts the key as Authorization: ApiKey too, and caps the lifetime at 15 minutes', async () => {
    process.env.OPENKBS_TOKEN_LIFETIME_SECONDS = '86400';
    const response = await access.handler(support.event('POST', '/auth/token', { headers: { Authorization: `ApiKey ${writerKey}` } }));
    process.env.OPENKBS_TOKEN_LIFETIME_SECONDS = '600';
    const claims = JSON.parse(Buffer.from(JSON.parse(response.body).access_token.split('.')[1], 'base64url'));

    assert.equal(response.statusCode, 200);
    assert.equal(claims.exp - claims.iat, 900);
  });

  it('refuses unknown, malformed and missing keys with one generic 401 that leaks nothing', async () => {
    const refusals = [
      support.generateKey(),
      'okbs_short',
      `${partnerKey}x`,
      ` ${partnerKey}`,
      partnerKey.replace('okbs_', 'OKBS_'),
      '',
      'x'.repeat(10000),
    ];
    for (const key of refusals) {
      const { response } = await token(key);
      assert.equal(response.statusCode, 401, key.slice(0, 20));
      assert.equal(response.body, '{"error":"invalid credentials"}');
    }
    const none = await access.handler(support.event('POST', '/auth/token'));
    assert.equal(none.statusCode, 401);
    assert.equal(none.body, '{"error":"invalid credentials"}');
  });

  it('refuses oversized bodies (400), unknown paths (404) and other methods (405) without detail', async () => {
    const big = await access.handler(support.event('POST', '/auth/token', { headers: { 'x-api-key': partnerKey }, body: 'a'.repeat(2048) }));
    const unknown = await access.handler(support.event('GET', '/auth/../etc/passwd'));
    const method = await access.handler(support.event('GET', '/auth/token', { headers: { 'x-api-key': partnerKey } }));

    assert.deepEqual([big.statusCode, big.body], [400, '{"error":"bad request"}']);
    assert.deepEqual([unknown.statusCode, unknown.body], [404, '{"error":"not found"}']);
    assert.deepEqual([method.statusCode, method.body], [405, '{"error":"method not allowed"}']);
  });

  it('refuses the old key after a new deployment rotated the keys (401) and accepts the new one', async () => {
    const rotated = support.generateKey();
    await configure({ keys: [keyEntry('partner', rotated, ['orders:read'], '2.0.0+ba9876543210')] });

    assert.equal((await token(partnerKey)).response.statusCode, 401);
    assert.equal((await token(rotated)).response.statusCode, 200);
    await configure();
  });

  it('answers a generic 503 when the sealed keys belong to another project (KMS refuses the context)', async () => {
    await configure();
    process.env.OPENKBS_PROJECT_UID = OTHER_UID;
    access.reset();
    const original = console.error;
    const logged = [];
    console.error = (line) => logged.push(line);
    try {
      const { response } = await token(partnerKey);
      assert.deepEqual([response.statusCode, response.body], [503, '{"error":"temporarily unavailable"}']);
      assert.equal(logged.length, 1);
      assert.ok(!logged[0].includes(partnerKey) && !logged[0].includes(support.sha256Hex(partnerKey)), logged[0]);
    } finally {
      console.error = original;
      await configure();
    }
  });
});

describe('@openkbs/auth with the project JWKS', () => {
  let keys;
  let partnerToken;
  let writerToken;

  before(async () => {
    await configure();
    keys = await jwks();
    process.env.OPENKBS_JWKS = JSON.stringify(keys);
    partnerToken = (await token(partnerKey)).body.access_token;
    writerToken = (await token(writerKey)).body.access_token;
  });

  after(() => {
    delete process.env.OPENKBS_JWKS;
  });

  it('allows a route whose scope the key has, and refuses another with 403', async () => {
    const allowed = await auth.requireScope(bearer(partnerToken), 'orders:read');
    const refused = await auth.requireScope(bearer(partnerToken), 'orders:write');
    const wildcard = await auth.requireScope(bearer(writerToken), 'orders:write');

    assert.equal(allowed.ok, true);
    assert.equal(allowed.claims.sub, 'partner');
    assert.deepEqual([refused.ok, refused.status, refused.response.statusCode, refused.response.body], [false, 403, 403, '{"error":"insufficient scope"}']);
    assert.equal(wildcard.ok, true);
  });

  it('refuses a missing token, an expired token and a tampered token with 401', async () => {
    const [head, payload, signature] = partnerToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url'));
    const widened = `${head}.${support.b64url({ ...claims, scope: '*' })}.${signature}`;
    const flipped = `${head}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`;

    for (const value of ['', widened, flipped, `${partnerToken}.x`, 'a.b.c']) {
      const result = await auth.requireScope(bearer(value), 'orders:read');
      assert.deepEqual([result.status, result.response.body], [401, '{"error":"invalid or expired token"}'], value.slice(0, 30));
    }
    const later = Date.now() + (claims.exp - claims.iat + 31) * 1000;
    assert.throws(() => auth.verifyWith(partnerToken, keys.keys, auth.audienceOf(UID), later), { name: 'AuthError', status: 401 });
    assert.doesNotThrow(() => auth.verifyWith(partnerToken, keys.keys, auth.audienceOf(UID), Date.now() + 20000));
  });

  it('refuses alg none and HS256 signed with the public key', async () => {
    const [, payload] = partnerToken.split('.');
    const kid = keys.keys[0].kid;
    const none = `${support.b64url({ alg: 'none', typ: 'JWT', kid })}.${payload}.`;
    const noneWithSignature = `${support.b64url({ alg: 'none', typ: 'JWT', kid })}.${payload}.${partnerToken.split('.')[2]}`;
    const publicPem = crypto.createPublicKey({ key: keys.keys[0], format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const hsInput = `${support.b64url({ alg: 'HS256', typ: 'JWT', kid })}.${payload}`;
    const hs256 = `${hsInput}.${crypto.createHmac('sha256', publicPem).update(hsInput).digest('base64url')}`;
    const hs256Jwk = `${hsInput}.${crypto.createHmac('sha256', Buffer.from(keys.keys[0].n, 'base64url')).update(hsInput).digest('base64url')}`;

    for (const value of [none, noneWithSignature, hs256, hs256Jwk]) {
      const result = await auth.requireScope(bearer(value), 'orders:read');
      assert.equal(result.status, 401);
    }
  });

  it('refuses a token of another project: other audience with the same key, and another signing key', async () => {
    await configure({ uid: OTHER_UID, signing: otherSigningKey });
    const otherToken = (await token(partnerKey)).body.access_token;
    const otherKeys = await jwks();
    await configure();

    assert.equal((await auth.requireScope(bearer(otherToken), 'orders:read')).status, 401);
    const both = { keys: [...keys.keys, ...otherKeys.keys] };
    assert.throws(() => auth.verifyWith(otherToken, both.keys, auth.audienceOf(UID)), { status: 401 });
    assert.equal(auth.verifyWith(otherToken, both.keys, auth.audienceOf(OTHER_UID)).sub, 'partner');
  });

  it('guards the example shop API (docs/examples/artifacts/shop/api.js) with per-route scopes', async () => {
    const shop = require('../../../docs/examples/artifacts/shop/api.js');
    const call = (method, route, value) => shop.handler(support.event(method, route, value === undefined ? {} : { headers: { authorization: `Bearer ${value}` } }));

    assert.equal((await call('GET', '/health')).statusCode, 200);
    assert.equal((await call('GET', '/orders')).statusCode, 401);
    assert.equal((await call('GET', '/orders', partnerToken)).statusCode, 200);
    assert.equal((await call('POST', '/orders', partnerToken)).statusCode, 403);
    const written = await call('POST', '/orders', writerToken);
    assert.deepEqual([written.statusCode, JSON.parse(written.body).by], [201, 'writer']);
    assert.equal((await call('DELETE', '/orders', writerToken)).statusCode, 404);
  });

  it('fetches the JWKS from OPENKBS_JWKS_URL once and caches it', async () => {
    const http = require('node:http');
    let served = 0;
    const server = http.createServer((request, response) => {
      served += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(keys));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    delete process.env.OPENKBS_JWKS;
    process.env.OPENKBS_JWKS_URL = `http://127.0.0.1:${server.address().port}/auth/jwks.json`;
    auth.resetCache();
    try {
      for (let i = 0; i < 3; i += 1) {
        assert.equal((await auth.requireScope(bearer(partnerToken), 'orders:read')).ok, true);
      }
      assert.equal(served, 1);
    } finally {
      delete process.env.OPENKBS_JWKS_URL;
      process.env.OPENKBS_JWKS = JSON.stringify(keys);
      server.close();
    }
  });
});

describe('GET /auth/jwks.json during a rotation', () => {
  it('publishes the previous key while the operator sets it (a token it signed still verifies), then only the current one', async () => {
    await configure();
    const before = (await token(partnerKey)).body.access_token;
    await configure({ signing: otherSigningKey, previous: signingKey });
    const during = await jwks();
    const after = (await token(partnerKey)).body.access_token;
    await configure({ signing: otherSigningKey });
    const afterwards = await jwks();
    await configure();

    assert.deepEqual(during.keys.map((k) => k.kid), [otherSigningKey, signingKey].map((a) => a.split('/').pop()));
    assert.equal(auth.verifyWith(before, during.keys, auth.audienceOf(UID)).sub, 'partner');
    assert.equal(JSON.parse(Buffer.from(after.split('.')[0], 'base64url')).kid, otherSigningKey.split('/').pop());
    assert.equal(auth.verifyWith(after, during.keys, auth.audienceOf(UID)).sub, 'partner');
    assert.throws(() => auth.verifyWith(before, afterwards.keys, auth.audienceOf(UID)));
    assert.deepEqual(afterwards.keys.map((k) => k.kid), [otherSigningKey.split('/').pop()]);
    assert.deepEqual(Object.keys(during.keys[0]).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });
});

describe('POST /auth/mqtt', () => {
  before(() => configure());

  it('returns a presigned wss:// URL of 900 s STS credentials for a token with mqtt:connect', async () => {
    const partnerToken = (await token(partnerKey)).body.access_token;
    const assumed = [];
    const send = STSClient.prototype.send;
    STSClient.prototype.send = function capture(command, ...rest) {
      assumed.push(command.input);
      return send.call(this, command, ...rest);
    };
    let response;
    try {
      response = await access.handler(support.event('POST', '/auth/mqtt', { headers: { authorization: `Bearer ${partnerToken}` } }));
    } finally {
      STSClient.prototype.send = send;
    }
    const body = JSON.parse(response.body);
    const url = new URL(body.url);

    assert.equal(response.statusCode, 200);
    assert.equal(`${url.protocol}//${url.host}${url.pathname}`, `wss://${IOT_ENDPOINT}/mqtt`);
    assert.equal(url.searchParams.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
    assert.match(url.searchParams.get('X-Amz-Credential'), /^[A-Z0-9]+\/\d{8}\/eu-central-1\/iotdevicegateway\/aws4_request$/);
    assert.notEqual(url.searchParams.get('X-Amz-Credential').split('/')[0], 'testing');
    assert.equal(url.searchParams.get('X-Amz-Expires'), '900');
    assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'host');
    assert.ok(url.searchParams.get('X-Amz-Security-Token'));
    assert.match(url.searchParams.get('X-Amz-Signature'), /^[0-9a-f]{64}$/);
    const lifetime = (Date.parse(body.expires_at) - Date.now()) / 1000;
    assert.ok(lifetime > 800 && lifetime <= 900, String(lifetime));
    assert.equal(body.topic_prefix, 'okbs/shop/');
    // The client ids carry the project (okbs-{hash}-) and the key; the session policy lets these credentials connect with no other.
    assert.equal(body.client_id_prefix, 'okbs-1a2b3c4d-partner-');
    assert.equal(assumed.length, 1);
    assert.equal(assumed[0].RoleSessionName, 'okbs-1a2b3c4d-partner');
    assert.equal(assumed[0].DurationSeconds, 900);
    const grants = JSON.parse(assumed[0].Policy).Statement.flatMap((s) => [s.Action].flat().map((a) => `${a} ${s.Resource}`)).sort();
    assert.deepEqual(grants, [
      'iot:Connect arn:aws:iot:*:*:client/okbs-1a2b3c4d-partner-*',
      'iot:Publish arn:aws:iot:*:*:topic/okbs/shop/*',
      'iot:Receive arn:aws:iot:*:*:topic/okbs/shop/*',
      'iot:Subscribe arn:aws:iot:*:*:topicfilter/okbs/shop/*',
    ]);
  });

  it('answers 404 without the project client-id prefix (MQTT not fully configured)', async () => {
    const partnerToken = (await token(partnerKey)).body.access_token;
    delete process.env.OPENKBS_IOT_CLIENT_ID_PREFIX;
    try {
      const response = await access.handler(support.event('POST', '/auth/mqtt', { headers: { authorization: `Bearer ${partnerToken}` } }));
      assert.equal(response.statusCode, 404);
    } finally {
      process.env.OPENKBS_IOT_CLIENT_ID_PREFIX = 'okbs-1a2b3c4d-';
    }
  });

  it('refuses a token without the mqtt scope (403), no token or a bad token (401)', async () => {
    const writerToken = (await token(writerKey)).body.access_token;
    const call = (value) => access.handler(support.event('POST', '/auth/mqtt', { headers: { authorization: `Bearer ${value}` } }));

    assert.deepEqual([(await call(writerToken)).statusCode, (await call(writerToken)).body], [403, '{"error":"insufficient scope"}']);
    assert.equal((await call('')).statusCode, 401);
    assert.equal((await call(`${writerToken}x`)).statusCode, 401);
  });
});

if (process.env.OPENKBS_ACCESS_WRITE_FIXTURES === '1') {
  // Regenerates test/fixtures/jwt.json, which tests/OpenKbs.Aws.Tests verifies with .NET's own RSA.
  it('writes the JWT fixture', async () => {
    await configure();
    const fixture = { audience: auth.audienceOf(UID), token: (await token(partnerKey)).body.access_token, jwks: await jwks() };
    fs.writeFileSync(path.join(__dirname, 'fixtures', 'jwt.json'), `${JSON.stringify(fixture, null, 2)}\n`);
  });
}
