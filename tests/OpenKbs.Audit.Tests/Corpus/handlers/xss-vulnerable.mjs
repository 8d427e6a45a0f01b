export const handler = async (event) => {
  const name = event.queryStringParameters.name;
  const page = `<html><body><h1>Hello ${name}</h1></body></html>`;
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    body: page, // expect: CWE-79
  };
};
