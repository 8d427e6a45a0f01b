const express = require('express');
const { randomUUID } = require('node:crypto');
const app = express();

app.get('/report', async (req, res) => {
  try {
    await buildReport(req.query.id);
    res.json({ ok: true });
  } catch (err) {
    const incident = randomUUID();
    console.error(incident, err);
    res.status(err.statusCode || 500).json({ error: 'internal error', incident });
  }
});

exports.handler = async (event) => {
  try {
    return { statusCode: 200, body: await buildReport(event.pathParameters.id) };
  } catch (e) {
    console.error(e.stack);
    return { statusCode: 500, body: JSON.stringify({ error: 'internal error', code: e.code }) };
  }
};

async function buildReport(id) {
  return `report ${Number(id)}`;
}
