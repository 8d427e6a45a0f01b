// Runs a batch of AWS calls with the official AWS SDK for JavaScript v3 and prints the outcomes as JSON.
// Used by tests/OpenKbs.Aws.Tests (WireCheckTests) as an independent client: one node process per batch.
// stdin: [{ "service": "organizations"|"iam"|"account", "op": "ListAccounts", "input": {...}, "endpoint": "http://..."? }]
// stdout: [{ "ok": true, "output": {...} } | { "ok": false, "code": "NoSuchEntityException", "message": "..." }]
import * as organizations from '@aws-sdk/client-organizations';
import * as iam from '@aws-sdk/client-iam';
import * as account from '@aws-sdk/client-account';

const modules = {
  organizations: [organizations, organizations.OrganizationsClient],
  iam: [iam, iam.IAMClient],
  account: [account, account.AccountClient],
};

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const steps = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const clients = new Map();
const results = [];
for (const step of steps) {
  const [module, Client] = modules[step.service];
  const endpoint = step.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const key = `${step.service} ${endpoint}`;
  if (!clients.has(key)) {
    clients.set(key, new Client({ region: 'us-east-1', endpoint, maxAttempts: 3 }));
  }
  const Command = module[`${step.op}Command`];
  if (!Command) {
    results.push({ ok: false, code: 'NoSuchCommand', message: step.op });
    continue;
  }
  try {
    const output = await clients.get(key).send(new Command(step.input ?? {}));
    delete output.$metadata;
    results.push({ ok: true, output });
  } catch (error) {
    results.push({ ok: false, code: error.name, message: error.message });
  }
}
process.stdout.write(JSON.stringify(results));
