export function buildFilter(status) {
  const clause = "status = '" + status + "'";
  return clause;
}

export function orderColumn(name) {
  return ['created', 'total'].includes(name) ? name : 'created';
}
