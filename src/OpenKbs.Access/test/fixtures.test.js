'use strict';

// test/fixtures/envelope.json: an OPENKBS_API_KEYS envelope made by this side's sealing with a fixed data key and nonce.
// Here: it opens with the access function's opener and reseals to the same bytes. tests/OpenKbs.Aws.Tests
// (Crypto/AccessFixtureTests) opens it with the operator's EnvelopeCipher, and seals one with EnvelopeCipher that
// function/sealed.js must open: the two implementations agree byte for byte on the format and the associated data.
// OPENKBS_ACCESS_WRITE_FIXTURES=1 rewrites the file.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { it } = require('node:test');
const sealed = require('../function/sealed');
const support = require('./support');

const file = path.join(__dirname, 'fixtures', 'envelope.json');

function make() {
  const dataKey = Buffer.alloc(32, 7);
  const nonce = Buffer.alloc(12, 9);
  const context = sealed.envelopeContext('acme/Project/shop', '3f0c1f5e-9b2a-4c41-8d7e-1a2b3c4d5e6f', 'OPENKBS_API_KEYS');
  const keys = [{ name: 'partner', sha256: support.sha256Hex('okbs_fixture'), permissions: ['orders:read', 'mqtt:connect'], deployment: '1.0.0+0123456789ab' }];
  const payload = fs.existsSync(file) && process.env.OPENKBS_ACCESS_WRITE_FIXTURES !== '1'
    ? Buffer.from(JSON.parse(fs.readFileSync(file, 'utf8')).payload, 'base64')
    : support.renderKeys(keys);
  const envelope = support.sealWithDataKey(Buffer.from(dataKey), Buffer.from('encrypted-data-key'), 'arn:aws:kms:eu-central-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', payload, context, nonce);
  return { dataKey: dataKey.toString('base64'), context, keys, payload: payload.toString('base64'), envelope };
}

if (process.env.OPENKBS_ACCESS_WRITE_FIXTURES === '1') {
  fs.writeFileSync(file, `${JSON.stringify(make(), null, 2)}\n`);
}

it('the committed envelope reseals to the same bytes and opens to the keys it was made of', () => {
  const fixture = JSON.parse(fs.readFileSync(file, 'utf8'));
  const remade = make();

  assert.equal(remade.envelope, fixture.envelope);
  const opened = sealed.openWithDataKey(Buffer.from(fixture.dataKey, 'base64'), sealed.parseEnvelope(fixture.envelope), fixture.context);
  assert.deepEqual(sealed.parseKeys(opened), fixture.keys);
  assert.throws(() => sealed.openWithDataKey(Buffer.from(fixture.dataKey, 'base64'), sealed.parseEnvelope(fixture.envelope), { ...fixture.context, 'openkbs.com/uid': 'other' }));
});
