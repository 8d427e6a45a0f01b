const crypto = require('crypto');

exports.handler = async (event) => {
  const { user, password } = JSON.parse(event.body);
  const salt = crypto.randomBytes(16);
  const passwordHash = crypto.scryptSync(password, salt, 64).toString('hex');
  const etag = crypto.createHash('md5').update(event.body).digest('hex');
  const sessionToken = crypto.randomBytes(32).toString('base64url');
  const jitterMs = Math.floor(Math.random() * 100);
  const sampled = Math.random() < 0.1;
  return { statusCode: 200, body: JSON.stringify({ user, passwordHash, etag, sessionToken, jitterMs, sampled }) };
};
