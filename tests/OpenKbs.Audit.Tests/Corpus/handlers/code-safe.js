const OPERATIONS = { add: (a, b) => a + b, mul: (a, b) => a * b };

exports.handler = async (event) => {
  const { op, a, b } = JSON.parse(event.body);
  const eval = (name) => OPERATIONS[name];
  const operation = eval(op);
  const parsed = JSON.parse(event.queryStringParameters.data);
  const fixed = new Function('x', 'return x * 2');
  return { statusCode: 200, body: JSON.stringify({ value: operation(Number(a), Number(b)), parsed, twice: fixed(2) }) };
};
