const fs = require('fs/promises');
const path = require('path');
const express = require('express');

const app = express();
const BASE = '/var/task/public';

app.get('/files', async (req, res) => {
  const file = path.resolve(BASE, req.query.name);
  if (!file.startsWith(BASE + path.sep)) {
    return res.status(400).end();
  }
  const data = await fs.readFile(file, 'utf8');
  res.type('text/plain').send(encodeURIComponent(data));
});

app.get('/download', (req, res) => {
  res.sendFile(path.join(BASE, path.basename(req.params.file)));
});
