const crypto = require('crypto');

exports.handler = async (event) => {
  const { user, password } = JSON.parse(event.body);
  const passwordHash = crypto.createHash('md5').update(password).digest('hex'); // expect: CWE-328
  const legacy = crypto.createHash('sha1').update(user + password).digest('hex'); // expect: CWE-328
  const sessionToken = Math.random().toString(36).slice(2); // expect: CWE-338
  return { statusCode: 200, body: JSON.stringify({ user, passwordHash, legacy, sessionToken }) };
};

function newResetToken() {
  return Math.random().toString(16).substring(2) + Date.now(); // expect: CWE-338
}

exports.newResetToken = newResetToken;
