'use strict';

// The shop's nightly report (Lambda handler `report.handler`), invoked by the EventBridge Scheduler
// schedule `nightly-report`. It writes one structured log line; CloudWatch keeps it.

exports.handler = async (event) => {
  const line = {
    report: 'nightly',
    service: 'shop',
    version: '1.0.0',
    scheduledFor: (event && event.time) || null,
  };
  console.log(JSON.stringify(line));
  return { ok: true };
};
