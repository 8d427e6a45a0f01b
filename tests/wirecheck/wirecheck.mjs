// Runs a batch of AWS calls with the official AWS SDK for JavaScript v3 and prints the outcomes as JSON.
// Used by tests/OpenKbs.Aws.Tests (WireCheckTests, Support/WireCheck) as an independent client: one node process per batch.
// stdin: [{ "service": "organizations"|"iam"|"account"|"lambda"|"rds"|"cloudfront"|"scheduler"|"cloudwatch", "op": "ListAccounts",
//           "input": {...}, "endpoint": "http://..."?, "region": "eu-central-1"? }]
// stdout: [{ "ok": true, "status": 200, "output": {...}, "request": {...} }
//        | { "ok": false, "status": 404, "code": "NoSuchEntityException", "message": "...", "request": {...} }]
// In inputs {"$bytes": base64} is a Uint8Array and {"$date": iso} a Date; in outputs a Uint8Array is {"$bytes": base64}.
// "request" is what the SDK sent: method, path, query, content type, X-Amz-Target, If-Match and body (for wire comparisons).
const packages = {
  account: ['@aws-sdk/client-account', 'AccountClient'],
  cloudfront: ['@aws-sdk/client-cloudfront', 'CloudFrontClient'],
  cloudwatch: ['@aws-sdk/client-cloudwatch', 'CloudWatchClient'],
  iam: ['@aws-sdk/client-iam', 'IAMClient'],
  lambda: ['@aws-sdk/client-lambda', 'LambdaClient'],
  organizations: ['@aws-sdk/client-organizations', 'OrganizationsClient'],
  rds: ['@aws-sdk/client-rds', 'RDSClient'],
  scheduler: ['@aws-sdk/client-scheduler', 'SchedulerClient'],
};
const globalServices = new Set(['account', 'cloudfront', 'iam', 'organizations']);

const decode = (value) => {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === 'object') {
    if (typeof value.$bytes === 'string') return new Uint8Array(Buffer.from(value.$bytes, 'base64'));
    if (typeof value.$date === 'string') return new Date(value.$date);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
};

const encode = (value) => {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '$metadata').map(([k, v]) => [k, encode(v)]));
  }
  return value;
};

const bodyText = (body) => {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return '[stream]';
};

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const steps = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const clients = new Map();
const results = [];
for (const step of steps) {
  const [pkg, clientName] = packages[step.service] ?? [];
  if (!pkg) {
    results.push({ ok: false, status: 0, code: 'NoSuchService', message: step.service });
    continue;
  }
  const module = await import(pkg);
  const endpoint = step.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const region = globalServices.has(step.service) ? 'us-east-1' : (step.region ?? process.env.AWS_REGION ?? 'us-east-1');
  const key = `${step.service} ${endpoint} ${region}`;
  let entry = clients.get(key);
  if (!entry) {
    entry = { client: new module[clientName]({ region, endpoint, maxAttempts: 3 }), last: null };
    const captured = entry;
    entry.client.middlewareStack.add(
      (next) => async (args) => {
        const r = args.request;
        captured.last = {
          method: r.method,
          path: r.path,
          query: r.query ?? {},
          contentType: r.headers?.['content-type'] ?? null,
          target: r.headers?.['x-amz-target'] ?? null,
          ifMatch: r.headers?.['if-match'] ?? null,
          body: bodyText(r.body),
        };
        return next(args);
      },
      { step: 'finalizeRequest', name: 'openkbsWireCapture', priority: 'low' },
    );
    clients.set(key, entry);
  }
  const Command = module[`${step.op}Command`];
  if (!Command) {
    results.push({ ok: false, status: 0, code: 'NoSuchCommand', message: step.op });
    continue;
  }
  entry.last = null;
  try {
    const output = await entry.client.send(new Command(decode(step.input ?? {})));
    const status = output.$metadata?.httpStatusCode ?? 0;
    results.push({ ok: true, status, output: encode(output), request: entry.last });
  } catch (error) {
    results.push({ ok: false, status: error.$metadata?.httpStatusCode ?? 0, code: error.name, message: error.message, request: entry.last });
  }
}
process.stdout.write(JSON.stringify(results));
