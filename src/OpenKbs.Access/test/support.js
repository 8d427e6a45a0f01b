'use strict';

// Test support: a moto_server on a free loopback port per test file, the operator's sealing (EnvelopeCipher.SealAsync +
// ApiKeyPayload.Render) reimplemented for fixtures (tests/OpenKbs.Aws.Tests/Crypto/AccessFixtureTests checks that the C#
// code opens what this produces), and a Function URL event builder.

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const net = require('node:net');
const zlib = require('node:zlib');
const { associatedData } = require('../function/sealed');

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts moto_server; resolves to { endpoint, stop() }. */
async function startMoto() {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.status < 500) {
        break;
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error('moto_server did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    endpoint,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** The environment the SDK clients use against moto (static test credentials, eu-central-1). */
function awsEnvironment(endpoint) {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: 'testing',
  });
}

/** ApiKeyPayload.Render: gzip of {"v":1,"keys":[{name, sha256, permissions, deployment}]}. */
function renderKeys(keys) {
  return zlib.gzipSync(Buffer.from(JSON.stringify({ v: 1, keys })), { level: 9 });
}

/** EnvelopeCipher.Seal with a given data key and its encrypted form. */
function sealWithDataKey(dataKey, encryptedKey, keyId, plaintext, context, nonce = crypto.randomBytes(12)) {
  const cipher = crypto.createCipheriv('aes-256-gcm', dataKey, nonce, { authTagLength: 16 });
  cipher.setAAD(associatedData(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const json = JSON.stringify({
    v: 1,
    alg: 'A256GCM',
    kid: keyId,
    dk: Buffer.from(encryptedKey).toString('base64'),
    iv: nonce.toString('base64'),
    ct: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  });
  return Buffer.from(json, 'utf8').toString('base64');
}

/** EnvelopeCipher.SealAsync: GenerateDataKey (AES_256, with the context), then sealWithDataKey. */
async function seal(kms, GenerateDataKeyCommand, keyId, plaintext, context) {
  const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context }));
  return sealWithDataKey(Buffer.from(dataKey.Plaintext), dataKey.CiphertextBlob, dataKey.KeyId || keyId, plaintext, context);
}

/** ApiKeyMaterial.Generate: okbs_ + 256 random bits base64url. */
function generateKey() {
  return `okbs_${crypto.randomBytes(32).toString('base64url')}`;
}

function sha256Hex(text) {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A Lambda Function URL (payload 2.0) event. */
function event(method, path, { headers = {}, body } = {}) {
  return {
    version: '2.0',
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: { http: { method, path } },
    body,
    isBase64Encoded: false,
  };
}

function b64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

module.exports = { awsEnvironment, b64url, event, generateKey, renderKeys, seal, sealWithDataKey, sha256Hex, startMoto };
