'use strict';

// The per-project access function (handler `index.handler`, Node.js 24, behind the project's CloudFront under /auth/*,
// reached through a Function URL with AWS_IAM auth and origin access control). Routes:
//   POST /auth/token     API key (x-api-key or Authorization: ApiKey ...) -> RS256 JWT signed with KMS Sign
//   GET  /auth/jwks.json the current (and, during a rotation, the previous) public key as JWKS
//   POST /auth/mqtt      Bearer JWT with scope mqtt:connect -> SigV4-presigned wss:// URL from 900 s STS credentials
// Every refusal is a generic JSON message (no stack, no key material); failures are logged without secrets.
//
// Environment (set by the operator):
//   OPENKBS_PROJECT, OPENKBS_PROJECT_UID     the Project (ns/Project/name, uid): encryption context and audience
//   OPENKBS_API_KEYS                         the sealed key list (as for every function of the project)
//   OPENKBS_SIGNING_KEY                      ARN of the project's KMS RSA_2048 SIGN_VERIFY key
//   OPENKBS_PREVIOUS_SIGNING_KEY             ARN of the key before a rotation: its public key is published (never used to sign)
//                                            for as long as the operator sets it (until every token it signed has expired)
//   OPENKBS_TOKEN_LIFETIME_SECONDS           60..900 (default 900)
//   OPENKBS_IOT_ENDPOINT, OPENKBS_IOT_ROLE_ARN, OPENKBS_IOT_TOPIC_PREFIX   MQTT (absent: /auth/mqtt answers 404)
//   OPENKBS_IOT_CLIENT_ID_PREFIX             okbs-{project hash}-: the project's client ids (the IoT role allows no other)
//   AWS_REGION (Lambda), AWS_ENDPOINT_URL (tests only)

const crypto = require('node:crypto');
const { KMSClient, DecryptCommand, GetPublicKeyCommand, SignCommand } = require('@aws-sdk/client-kms');
const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts');
const auth = require('@openkbs/auth');
const sealed = require('./sealed');
const { presignMqttUrl } = require('./sigv4');

const API_KEYS_VARIABLE = 'OPENKBS_API_KEYS';
const MAX_BODY_BYTES = 1024;
const MAX_LIFETIME_SECONDS = 900;
const MQTT_SCOPE = 'mqtt:connect';
const CREDENTIAL_SECONDS = 900;
const API_KEY = /^okbs_[A-Za-z0-9_-]{43}$/;

let kms;
let sts;
const publicKeys = new Map();
let openedKeys = { envelope: undefined, keys: undefined };

function clients() {
  kms ??= new KMSClient({});
  sts ??= new STSClient({});
  return { kms, sts };
}

function respond(statusCode, body, extraHeaders = {}) {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...extraHeaders },
    body: JSON.stringify(body),
  };
}

const refusals = {
  400: () => respond(400, { error: 'bad request' }),
  401: () => respond(401, { error: 'invalid credentials' }, { 'www-authenticate': 'Bearer' }),
  403: () => respond(403, { error: 'insufficient scope' }),
  404: () => respond(404, { error: 'not found' }),
  405: () => respond(405, { error: 'method not allowed' }),
  503: () => respond(503, { error: 'temporarily unavailable' }),
};

class Refusal extends Error {
  constructor(status) {
    super(`refused ${status}`);
    this.status = status;
  }
}

function bodyBytes(event) {
  const body = event && event.body;
  if (body === undefined || body === null) {
    return 0;
  }
  return event.isBase64Encoded ? Math.floor((String(body).length * 3) / 4) : Buffer.byteLength(String(body), 'utf8');
}

function keyIdOf(arn) {
  return String(arn).split('/').pop();
}

function lifetime() {
  const configured = Number.parseInt(process.env.OPENKBS_TOKEN_LIFETIME_SECONDS || '', 10);
  return Number.isInteger(configured) && configured >= 60 ? Math.min(configured, MAX_LIFETIME_SECONDS) : MAX_LIFETIME_SECONDS;
}

function project() {
  const owner = process.env.OPENKBS_PROJECT;
  const uid = process.env.OPENKBS_PROJECT_UID;
  if (!owner || !uid) {
    throw new Error('OPENKBS_PROJECT / OPENKBS_PROJECT_UID not set');
  }
  return { owner, uid, audience: auth.audienceOf(uid), issuer: `urn:openkbs:project:${owner}` };
}

/** The project's current keys (opened once per envelope value: a new deployment sets a new envelope). */
async function currentKeys() {
  const envelope = process.env[API_KEYS_VARIABLE] || '';
  if (envelope.length === 0) {
    return [];
  }
  if (openedKeys.envelope !== envelope) {
    const { owner, uid } = project();
    const payload = await sealed.openEnvelope(clients().kms, DecryptCommand, envelope, sealed.envelopeContext(owner, uid, API_KEYS_VARIABLE));
    openedKeys = { envelope, keys: sealed.parseKeys(payload) };
  }
  return openedKeys.keys;
}

function presentedKey(event) {
  const direct = auth.header(event, 'x-api-key');
  if (direct.length > 0) {
    return direct;
  }
  const match = /^ApiKey (\S+)$/.exec(auth.header(event, 'authorization'));
  return match ? match[1] : '';
}

async function issueToken(event) {
  const key = presentedKey(event);
  if (!API_KEY.test(key)) {
    throw new Refusal(401);
  }
  const hash = crypto.createHash('sha256').update(key, 'utf8').digest();
  const match = (await currentKeys()).find((k) => crypto.timingSafeEqual(Buffer.from(k.sha256, 'hex'), hash));
  if (!match) {
    throw new Refusal(401);
  }
  const signingKey = process.env.OPENKBS_SIGNING_KEY;
  const { audience, issuer } = project();
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = lifetime();
  const headerSegment = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: keyIdOf(signingKey) })).toString('base64url');
  const claims = {
    iss: issuer,
    sub: match.name,
    aud: audience,
    iat: now,
    nbf: now,
    exp: now + expiresIn,
    jti: crypto.randomUUID(),
    scope: match.permissions.join(' '),
    deployment: match.deployment,
  };
  const signingInput = `${headerSegment}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signed = await clients().kms.send(new SignCommand({
    KeyId: signingKey,
    Message: Buffer.from(signingInput, 'ascii'),
    MessageType: 'RAW',
    SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
  }));
  const token = `${signingInput}.${Buffer.from(signed.Signature).toString('base64url')}`;
  return respond(200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: claims.scope });
}

async function publicJwk(arn) {
  if (!publicKeys.has(arn)) {
    const result = await clients().kms.send(new GetPublicKeyCommand({ KeyId: arn }));
    const jwk = crypto.createPublicKey({ key: Buffer.from(result.PublicKey), format: 'der', type: 'spki' }).export({ format: 'jwk' });
    if (jwk.kty !== 'RSA' || (result.KeyUsage !== undefined && result.KeyUsage !== 'SIGN_VERIFY')) {
      throw new Error('the signing key is not an RSA SIGN_VERIFY key');
    }
    publicKeys.set(arn, { kty: 'RSA', kid: keyIdOf(arn), use: 'sig', alg: 'RS256', n: jwk.n, e: jwk.e });
  }
  return publicKeys.get(arn);
}

/**
 * The published keys: the current one and, during a rotation, the previous one. The operator decides how long the previous key
 * stays (until every token it signed has expired) and removes the variable then; the function keeps no clock of its own for it.
 */
async function jwks() {
  const keys = [await publicJwk(process.env.OPENKBS_SIGNING_KEY)];
  const previous = process.env.OPENKBS_PREVIOUS_SIGNING_KEY;
  if (previous && previous !== process.env.OPENKBS_SIGNING_KEY) {
    keys.push(await publicJwk(previous));
  }
  return { keys };
}

/** What a client-id prefix may contain (the rest of a key's name becomes '-'). */
function clientIdPart(value) {
  return String(value).replace(/[^\w+=,.@-]/g, '-');
}

/**
 * The session policy of the AssumeRole: the credentials can do at most what the IoT role allows (the project's client ids and
 * topics) and, on top, connect only with this key's client ids: one key's device cannot take another key's (or, through the
 * role, another project's) client id.
 */
function sessionPolicy(clientIdPrefix, topicPrefix) {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `arn:aws:iot:*:*:client/${clientIdPrefix}*` },
      { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `arn:aws:iot:*:*:topic/${topicPrefix}*` },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `arn:aws:iot:*:*:topicfilter/${topicPrefix}*` },
    ],
  });
}

async function mqttUrl(event) {
  const endpoint = process.env.OPENKBS_IOT_ENDPOINT;
  const roleArn = process.env.OPENKBS_IOT_ROLE_ARN;
  const projectPrefix = process.env.OPENKBS_IOT_CLIENT_ID_PREFIX;
  const topicPrefix = process.env.OPENKBS_IOT_TOPIC_PREFIX;
  if (!endpoint || !roleArn || !projectPrefix || !topicPrefix) {
    throw new Refusal(404);
  }
  const token = auth.bearerToken(event);
  let claims;
  try {
    claims = auth.verifyWith(token, (await jwks()).keys, project().audience);
  } catch {
    throw new Refusal(401);
  }
  if (!auth.hasScope(auth.scopesOf(claims), MQTT_SCOPE)) {
    throw new Refusal(403);
  }
  // The session is named after the project and the key (at most 64 characters, STS's limit); the client ids are that name plus '-'.
  const session = `${clientIdPart(projectPrefix)}${clientIdPart(claims.sub)}`.slice(0, 63);
  const clientIdPrefix = `${session}-`;
  const assumed = await clients().sts.send(new AssumeRoleCommand({
    RoleArn: roleArn,
    RoleSessionName: session,
    DurationSeconds: CREDENTIAL_SECONDS,
    Policy: sessionPolicy(clientIdPrefix, topicPrefix),
  }));
  const credentials = {
    accessKeyId: assumed.Credentials.AccessKeyId,
    secretAccessKey: assumed.Credentials.SecretAccessKey,
    sessionToken: assumed.Credentials.SessionToken,
  };
  const url = presignMqttUrl({ credentials, host: endpoint, region: process.env.AWS_REGION, date: new Date(), expiresIn: CREDENTIAL_SECONDS });
  return respond(200, {
    url,
    expires_at: new Date(assumed.Credentials.Expiration).toISOString(),
    topic_prefix: topicPrefix,
    client_id_prefix: clientIdPrefix,
  });
}

const routes = {
  '/auth/token': { POST: issueToken },
  '/auth/jwks.json': { GET: async () => respond(200, await jwks(), { 'cache-control': 'public, max-age=300' }) },
  '/auth/mqtt': { POST: mqttUrl },
};

exports.handler = async (event) => {
  const path = (event && (event.rawPath || event.path)) || '/';
  const method = (event && ((event.requestContext && event.requestContext.http && event.requestContext.http.method) || event.httpMethod)) || 'GET';
  const route = routes[path];
  if (!route) {
    return refusals[404]();
  }
  const action = route[method.toUpperCase()];
  if (!action) {
    return refusals[405]();
  }
  if (bodyBytes(event) > MAX_BODY_BYTES) {
    return refusals[400]();
  }
  try {
    return await action(event);
  } catch (error) {
    if (error instanceof Refusal) {
      return refusals[error.status]();
    }
    // Logged without the event (it carries keys and tokens); the client sees a generic 503.
    console.error(JSON.stringify({ level: 'error', route: path, error: error && error.name, message: error && String(error.message).slice(0, 200) }));
    return refusals[503]();
  }
};

exports.sessionPolicy = sessionPolicy;

/** For tests: forget cached keys and clients (a new environment). */
exports.reset = () => {
  kms = undefined;
  sts = undefined;
  publicKeys.clear();
  openedKeys = { envelope: undefined, keys: undefined };
};
