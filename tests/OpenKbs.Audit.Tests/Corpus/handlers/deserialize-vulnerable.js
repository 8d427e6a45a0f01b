const serialize = require('node-serialize');
const yaml = require('js-yaml');

exports.handler = async (event) => {
  const session = serialize.unserialize(Buffer.from(event.headers.cookie, 'base64').toString()); // expect: CWE-502
  const config = yaml.load(event.body, { schema: yaml.DEFAULT_FULL_SCHEMA }); // expect: CWE-502
  return { statusCode: 200, body: JSON.stringify({ session, config }) };
};
