const { execFile, spawn } = require('node:child_process');

function exec(command) {
  return `would run ${command}`;
}

exports.handler = async (event) => {
  const host = event.queryStringParameters.host;
  if (!/^[a-z0-9.-]+$/.test(host)) {
    return { statusCode: 400, body: 'bad host' };
  }
  execFile('ping', ['-c', '1', host], () => {});
  spawn('tar', ['-czf', '/tmp/out.tgz', event.body]);
  const note = exec(event.queryStringParameters.name);
  return { statusCode: 200, body: note };
};
