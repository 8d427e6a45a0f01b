import pg from 'pg';
import { orderColumn } from './lib/filters.mjs';

const pool = new pg.Pool();

export const handler = async (event) => {
  const { id } = event.pathParameters;
  const byId = await pool.query('SELECT * FROM orders WHERE id = $1', [id]);
  const limit = parseInt(event.queryStringParameters.limit, 10);
  const page = await pool.query(`SELECT * FROM orders LIMIT ${limit}`);
  const sorted = await pool.query({ text: 'SELECT * FROM orders WHERE owner = $1', values: [event.queryStringParameters.owner] });
  const column = orderColumn(event.queryStringParameters.sort);
  const ordered = await pool.query(`SELECT * FROM orders ORDER BY ${column}`);
  return { statusCode: 200, body: JSON.stringify([byId.rows, page.rows, sorted.rows, ordered.rows]) };
};
