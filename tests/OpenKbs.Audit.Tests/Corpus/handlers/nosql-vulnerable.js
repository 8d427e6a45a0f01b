const express = require('express');
const { MongoClient } = require('mongodb');

const client = new MongoClient(process.env.MONGO_URL);
const app = express();
app.use(express.json());

app.post('/login', async (req, res) => {
  const users = client.db('app').collection('users');
  const user = await users.findOne({ name: req.body.name, password: req.body.password }); // expect: CWE-943
  res.json({ ok: Boolean(user) });
});

app.get('/orders', async (req, res) => {
  const filter = req.query.filter;
  const rows = await client.db('app').collection('orders').find(filter).toArray(); // expect: CWE-943
  res.json(rows);
});
