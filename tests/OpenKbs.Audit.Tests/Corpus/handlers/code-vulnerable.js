const vm = require('node:vm');

exports.handler = async (event) => {
  const { expression } = JSON.parse(event.body);
  const result = eval(expression); // expect: CWE-94
  const fn = new Function('x', 'return ' + event.queryStringParameters.formula); // expect: CWE-94
  const sandboxed = vm.runInNewContext(event.queryStringParameters.script, {}); // expect: CWE-94
  return { statusCode: 200, body: JSON.stringify({ result, value: fn(1), sandboxed }) };
};
