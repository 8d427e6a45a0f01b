const express = require('express');
const pg = require('pg');
const pool = new pg.Pool();
const app = express();

app.post('/orders/:id/cancel', async (req, res) => {
  await pool.query('UPDATE orders SET status = $1 WHERE id = $2', ['cancelled', req.params.id]); // expect: CWE-862
  res.status(204).end();
});
