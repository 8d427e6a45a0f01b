const express = require('express');
const app = express();

app.get('/report', async (req, res) => {
  try {
    await buildReport(req.query.id);
    res.json({ ok: true });
  } catch (err) {
    res.status(500).json({ error: err.message, stack: err.stack }); // expect: CWE-209
  }
});

exports.handler = async (event) => {
  try {
    return { statusCode: 200, body: await buildReport(event.pathParameters.id) };
  } catch (e) {
    return {
      statusCode: 500,
      body: JSON.stringify(e), // expect: CWE-209
    };
  }
};

async function buildReport(id) {
  return `report ${Number(id)}`;
}
