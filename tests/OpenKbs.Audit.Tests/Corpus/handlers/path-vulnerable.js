const fs = require('fs/promises');
const path = require('path');
const express = require('express');

const app = express();
const BASE = '/var/task/public';

app.get('/files', async (req, res) => {
  const file = path.join(BASE, req.query.name);
  const data = await fs.readFile(file, 'utf8'); // expect: CWE-22
  res.type('text/plain').send(data);
});

app.get('/download', (req, res) => {
  res.sendFile(BASE + '/' + req.params.file); // expect: CWE-22
});
