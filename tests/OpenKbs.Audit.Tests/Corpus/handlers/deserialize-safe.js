const yaml = require('js-yaml');

exports.handler = async (event) => {
  const session = JSON.parse(Buffer.from(event.headers.cookie, 'base64').toString());
  const config = yaml.load(event.body);
  return { statusCode: 200, body: JSON.stringify({ session, config }) };
};
