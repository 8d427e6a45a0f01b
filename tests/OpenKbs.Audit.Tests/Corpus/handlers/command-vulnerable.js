const { execSync, spawn } = require('node:child_process');
const cp = require('child_process');

exports.handler = async (event) => {
  const host = event.queryStringParameters.host;
  const out = execSync(`ping -c 1 ${host}`); // expect: CWE-78
  cp.exec('nslookup ' + event.queryStringParameters.name, () => {}); // expect: CWE-78
  const child = spawn('tar', ['-czf', '/tmp/out.tgz', event.body], { shell: true }); // expect: CWE-78
  child.unref();
  return { statusCode: 200, body: out.toString() };
};
