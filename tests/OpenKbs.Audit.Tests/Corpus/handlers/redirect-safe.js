const express = require('express');
const app = express();
const ALLOWED = new Set(['/home', '/account', '/orders']);

app.get('/continue', (req, res) => {
  const next = req.query.next;
  res.redirect(ALLOWED.has(next) ? next : '/home');
});

exports.handler = async (event) => {
  const target = event.queryStringParameters.returnTo;
  if (!ALLOWED.has(target)) {
    return { statusCode: 302, headers: { Location: '/home' } };
  }
  return { statusCode: 302, headers: { Location: target } };
};
