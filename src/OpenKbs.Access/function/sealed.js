'use strict';

// Opens OPENKBS_API_KEYS exactly as the operator seals it (src/OpenKbs.Aws/Crypto/EnvelopeCipher.cs,
// src/OpenKbs.Controllers/Projects/ApiKeys/ApiKeyPayload.cs): base64 of JSON {"v":1,"alg":"A256GCM","kid","dk","iv","ct","tag"};
// the data key `dk` is opened with KMS Decrypt under the encryption context {openkbs.com/owner, openkbs.com/uid,
// openkbs.com/purpose}; the payload is AES-256-GCM with that context as associated data; the plaintext is gzip of
// {"v":1,"keys":[{"name","sha256","permissions","deployment"}]}.

const crypto = require('node:crypto');
const zlib = require('node:zlib');

/** The encryption context of a sealed setting (EnvelopeContext.ForOwner with purpose = the variable's name). */
function envelopeContext(owner, uid, purpose) {
  return { 'openkbs.com/owner': owner, 'openkbs.com/uid': uid, 'openkbs.com/purpose': purpose };
}

/** EnvelopeCipher.AssociatedData: "openkbs-envelope-v1\n" + "len:key=len:value\n" per pair in ordinal key order. */
function associatedData(context) {
  let text = 'openkbs-envelope-v1\n';
  for (const key of Object.keys(context).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const value = context[key];
    text += `${key.length}:${key}=${value.length}:${value}\n`;
  }
  return Buffer.from(text, 'utf8');
}

function parseEnvelope(envelope) {
  const root = JSON.parse(Buffer.from(envelope, 'base64').toString('utf8'));
  if (root.v !== 1 || root.alg !== 'A256GCM' || typeof root.kid !== 'string') {
    throw new Error('unsupported envelope');
  }
  const parsed = {
    keyId: root.kid,
    encryptedKey: Buffer.from(root.dk, 'base64'),
    nonce: Buffer.from(root.iv, 'base64'),
    ciphertext: Buffer.from(root.ct, 'base64'),
    tag: Buffer.from(root.tag, 'base64'),
  };
  if (parsed.nonce.length !== 12 || parsed.tag.length !== 16 || parsed.encryptedKey.length === 0) {
    throw new Error('malformed envelope');
  }
  return parsed;
}

function openWithDataKey(dataKey, parsed, context) {
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', dataKey, parsed.nonce, { authTagLength: 16 });
    decipher.setAAD(associatedData(context));
    decipher.setAuthTag(parsed.tag);
    return Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]);
  } finally {
    dataKey.fill(0);
  }
}

/** Opens an envelope with KMS Decrypt (same key id and context); `kms` is a KMSClient, `DecryptCommand` its command. */
async function openEnvelope(kms, DecryptCommand, envelope, context) {
  const parsed = parseEnvelope(envelope);
  const result = await kms.send(new DecryptCommand({ CiphertextBlob: parsed.encryptedKey, KeyId: parsed.keyId, EncryptionContext: context }));
  return openWithDataKey(Buffer.from(result.Plaintext), parsed, context);
}

/** The keys of an API-key payload (gzip JSON). */
function parseKeys(payload) {
  const json = JSON.parse(zlib.gunzipSync(payload).toString('utf8'));
  if (json.v !== 1 || !Array.isArray(json.keys)) {
    throw new Error('unsupported key payload');
  }
  return json.keys.filter((k) => k && typeof k.sha256 === 'string' && /^[0-9a-f]{64}$/.test(k.sha256) && Array.isArray(k.permissions));
}

module.exports = { associatedData, envelopeContext, openEnvelope, openWithDataKey, parseEnvelope, parseKeys };
