// Runs a batch of AWS SDK for JavaScript v3 calls (an independent client) and prints, per call, the wire request it sent and
// the answer it parsed. Used by tests/OpenKbs.Aws.Tests (Support/WireCheck.cs) to compare the hand-written clients with it.
// stdin: {"endpoint","region","credentials":{accessKeyId,secretAccessKey,sessionToken?},"calls":[{"service","command","input"}]}
// Values: {"$bytes": base64} is a Uint8Array, {"$date": iso} a Date, both ways. One process runs the whole batch (fast tests).
import { readFileSync } from "node:fs";

const packages = {
  account: ["@aws-sdk/client-account", "AccountClient"],
  cloudfront: ["@aws-sdk/client-cloudfront", "CloudFrontClient"],
  cloudwatch: ["@aws-sdk/client-cloudwatch", "CloudWatchClient"],
  iam: ["@aws-sdk/client-iam", "IAMClient"],
  lambda: ["@aws-sdk/client-lambda", "LambdaClient"],
  organizations: ["@aws-sdk/client-organizations", "OrganizationsClient"],
  rds: ["@aws-sdk/client-rds", "RDSClient"],
  scheduler: ["@aws-sdk/client-scheduler", "SchedulerClient"],
};

const decode = (value) => {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === "object") {
    if (typeof value.$bytes === "string") return new Uint8Array(Buffer.from(value.$bytes, "base64"));
    if (typeof value.$date === "string") return new Date(value.$date);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
};

const encode = (value) => {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString("base64") };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "$metadata").map(([k, v]) => [k, encode(v)]));
  }
  return value;
};

const bodyText = (body) => {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString("utf8");
  return "[stream]";
};

const job = JSON.parse(readFileSync(0, "utf8"));
const clients = new Map();
const results = [];
for (const call of job.calls) {
  const [pkg, clientName] = packages[call.service] ?? [];
  if (!pkg) throw new Error(`unknown service ${call.service}`);
  const module = await import(pkg);
  let entry = clients.get(call.service);
  if (!entry) {
    const client = new module[clientName]({
      endpoint: job.endpoint,
      region: call.service === "cloudfront" || call.service === "iam" || call.service === "organizations" ? "us-east-1" : job.region,
      credentials: job.credentials,
      maxAttempts: 1,
    });
    entry = { client, last: null };
    client.middlewareStack.add(
      (next) => async (args) => {
        const r = args.request;
        entry.last = {
          method: r.method,
          path: r.path,
          query: r.query ?? {},
          contentType: r.headers?.["content-type"] ?? null,
          target: r.headers?.["x-amz-target"] ?? null,
          ifMatch: r.headers?.["if-match"] ?? null,
          body: bodyText(r.body),
        };
        return next(args);
      },
      { step: "finalizeRequest", name: "openkbsCapture", priority: "low" },
    );
    clients.set(call.service, entry);
  }
  const Command = module[`${call.command}Command`];
  if (!Command) throw new Error(`unknown command ${call.service}:${call.command}`);
  entry.last = null;
  try {
    const output = await entry.client.send(new Command(decode(call.input ?? {})));
    results.push({ ok: true, status: output.$metadata?.httpStatusCode ?? 0, output: encode(output), request: entry.last });
  } catch (error) {
    results.push({
      ok: false,
      status: error.$metadata?.httpStatusCode ?? 0,
      error: { name: error.name, message: error.message },
      request: entry.last,
    });
  }
}
process.stdout.write(JSON.stringify(results));
