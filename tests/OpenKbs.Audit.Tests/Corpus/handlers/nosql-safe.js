const express = require('express');
const { MongoClient } = require('mongodb');

const client = new MongoClient(process.env.MONGO_URL);
const app = express();
app.use(express.json());

app.post('/login', async (req, res) => {
  const users = client.db('app').collection('users');
  const user = await users.findOne({ name: String(req.body.name), hash: String(req.body.password) });
  res.json({ ok: Boolean(user) });
});

app.get('/orders', async (req, res) => {
  const rows = await client.db('app').collection('orders').find({ status: `${req.query.status}` }).toArray();
  const items = [1, 2, 3].find((n) => n === Number(req.query.n));
  res.json({ rows, items });
});
