const express = require('express');
const app = express();

app.get('/search', (req, res) => {
  res.json({ results: [], query: req.query.q });
});
