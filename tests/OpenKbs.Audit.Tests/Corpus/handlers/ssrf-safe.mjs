import axios from 'axios';

const ALLOWED_HOSTS = ['api.example.com', 'cdn.example.com'];

export const handler = async (event) => {
  const { url } = JSON.parse(event.body);
  if (!ALLOWED_HOSTS.includes(new URL(url).hostname)) {
    return { statusCode: 400, body: 'host not allowed' };
  }
  const preview = await fetch(url);
  const meta = await axios.get(`https://api.example.com/items/${encodeURIComponent(event.queryStringParameters.id)}`);
  return { statusCode: 200, body: JSON.stringify({ status: preview.status, meta: meta.data }) };
};
