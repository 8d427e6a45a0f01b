function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const handler = async (event) => {
  const name = event.queryStringParameters.name;
  const page = `<html><body><h1>Hello ${escapeHtml(name)}</h1></body></html>`;
  const data = { greeting: `Hello ${name}` };
  if (event.queryStringParameters.format === 'json') {
    return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(data) };
  }
  return { statusCode: 200, headers: { 'Content-Type': 'text/html' }, body: page };
};
