const express = require('express');
const pg = require('pg');
const { requireAuth } = require('./lib/auth.js');
const pool = new pg.Pool();
const app = express();

app.post('/orders/:id/cancel', requireAuth, async (req, res) => {
  await pool.query('UPDATE orders SET status = $1 WHERE id = $2 AND owner = $3', ['cancelled', req.params.id, req.user.id]);
  res.status(204).end();
});

app.get('/orders', async (req, res) => {
  const rows = await pool.query('SELECT id FROM orders WHERE public = true');
  res.json(rows.rows);
});
