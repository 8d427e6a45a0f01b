'use strict';

// The access function's presigned MQTT URL against the AWS SDK for JavaScript v3 signer (@smithy/signature-v4, which the
// deprecated @aws-sdk/signature-v4 re-exports): same credentials, same time -> the same URL, byte for byte.

const assert = require('node:assert/strict');
const { describe, it } = require('node:test');
const { SignatureV4 } = require('@smithy/signature-v4');
const { Sha256 } = require('@aws-crypto/sha256-js');
const { presignMqttUrl } = require('../function/sigv4');

async function sdkUrl(credentials, host, region, date, expiresIn) {
  const signer = new SignatureV4({ credentials, region, service: 'iotdevicegateway', sha256: Sha256 });
  const signed = await signer.presign(
    { method: 'GET', protocol: 'wss:', hostname: host, path: '/mqtt', headers: { host }, query: {} },
    { signingDate: date, expiresIn },
  );
  const query = Object.entries(signed.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return { signed, query };
}

describe('presignMqttUrl', () => {
  const cases = [
    { name: 'session credentials', credentials: { accessKeyId: 'ASIAEXAMPLE1234567', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjEOr//////////wEaDGV1LWNlbnRyYWwtMSJHMEUCIQ+/=' } },
    { name: 'long-term credentials', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } },
  ];
  for (const { name, credentials } of cases) {
    it(`matches the SDK's presign with ${name}`, async () => {
      const host = 'a1b2c3d4e5f6g7-ats.iot.eu-central-1.amazonaws.com';
      const date = new Date('2026-12-05T05:58:07.123Z');
      const ours = new URL(presignMqttUrl({ credentials, host, region: 'eu-central-1', date, expiresIn: 900 }));
      const { signed } = await sdkUrl(credentials, host, 'eu-central-1', date, 900);

      assert.deepEqual(Object.fromEntries(ours.searchParams), signed.query);
      assert.equal(ours.pathname, signed.path);
      assert.equal(ours.host, signed.hostname);
      assert.equal(ours.searchParams.get('X-Amz-Date'), '20261205T055807Z');
    });
  }

  it('a different secret or time gives a different signature (the comparison can fail)', async () => {
    const credentials = cases[0].credentials;
    const host = 'example-ats.iot.eu-west-1.amazonaws.com';
    const date = new Date('2026-12-05T06:00:00Z');
    const ours = new URL(presignMqttUrl({ credentials, host, region: 'eu-west-1', date, expiresIn: 900 })).searchParams.get('X-Amz-Signature');
    const { signed: otherSecret } = await sdkUrl({ ...credentials, secretAccessKey: 'x' }, host, 'eu-west-1', date, 900);
    const { signed: otherTime } = await sdkUrl(credentials, host, 'eu-west-1', new Date('2026-12-05T06:00:01Z'), 900);
    const { signed: same } = await sdkUrl(credentials, host, 'eu-west-1', date, 900);

    assert.equal(ours, same.query['X-Amz-Signature']);
    assert.notEqual(ours, otherSecret.query['X-Amz-Signature']);
    assert.notEqual(ours, otherTime.query['X-Amz-Signature']);
  });
});
