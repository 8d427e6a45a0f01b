import pg from 'pg';
import { buildFilter } from './lib/filters.mjs';

const pool = new pg.Pool();

export const handler = async (event) => {
  const { id } = event.pathParameters;
  const sql = `SELECT * FROM orders WHERE id = '${id}'`;
  const byId = await pool.query(sql); // expect: CWE-89
  const where = buildFilter(event.queryStringParameters.status);
  const list = await pool.query('SELECT * FROM orders WHERE ' + where); // expect: CWE-89
  return { statusCode: 200, body: JSON.stringify({ byId: byId.rows, list: list.rows }) };
};
