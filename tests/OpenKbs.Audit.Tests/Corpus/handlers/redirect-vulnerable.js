const express = require('express');
const app = express();

app.get('/continue', (req, res) => {
  res.redirect(req.query.next); // expect: CWE-601
});

exports.handler = async (event) => {
  const target = event.queryStringParameters.returnTo;
  return {
    statusCode: 302,
    headers: { Location: target }, // expect: CWE-601
  };
};
