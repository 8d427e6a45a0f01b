import axios from 'axios';
import https from 'node:https';

export const handler = async (event) => {
  const { url } = JSON.parse(event.body);
  const preview = await fetch(url); // expect: CWE-918
  const meta = await axios.get(`${event.queryStringParameters.origin}/meta.json`); // expect: CWE-918
  https.get(event.headers['x-callback']); // expect: CWE-918
  return { statusCode: 200, body: JSON.stringify({ status: preview.status, meta: meta.data }) };
};
