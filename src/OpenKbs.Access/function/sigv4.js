'use strict';

// SigV4 query-string presigning (the algorithm of @smithy/signature-v4 `presign`, which @aws-sdk/signature-v4 re-exports)
// for AWS IoT Core's MQTT-over-WebSocket endpoint: GET wss://{endpoint}/mqtt, service `iotdevicegateway`, only `host`
// signed, the session token in the signed query. Node.js built-ins only (the test compares it with the SDK's output).

const crypto = require('node:crypto');

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function rfc3986(value) {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function hmac(key, data) {
  return crypto.createHmac('sha256', key).update(data, 'utf8').digest();
}

function amzDate(date) {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * A presigned URL. credentials: { accessKeyId, secretAccessKey, sessionToken }; host: the IoT data endpoint (ATS);
 * region; date: the signing time; expiresIn: seconds (1..604800).
 */
function presignMqttUrl({ credentials, host, region, date, expiresIn, service = 'iotdevicegateway', path = '/mqtt' }) {
  const longDate = amzDate(date);
  const shortDate = longDate.slice(0, 8);
  const scope = `${shortDate}/${region}/${service}/aws4_request`;
  const query = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': longDate,
    'X-Amz-Expires': String(expiresIn),
    'X-Amz-SignedHeaders': 'host',
  };
  if (credentials.sessionToken) {
    query['X-Amz-Security-Token'] = credentials.sessionToken;
  }
  const canonicalQuery = Object.keys(query).sort()
    .map((key) => `${rfc3986(key)}=${rfc3986(query[key])}`).join('&');
  const canonicalRequest = ['GET', path, canonicalQuery, `host:${host}\n`, 'host', EMPTY_SHA256].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', longDate, scope, crypto.createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');
  const signingKey = [region, service, 'aws4_request'].reduce((key, part) => hmac(key, part), hmac(`AWS4${credentials.secretAccessKey}`, shortDate));
  const signature = crypto.createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return `wss://${host}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}

module.exports = { presignMqttUrl };
