const { exec } = require('child_process');

function runLater(command) {
  return () => exec(command); // expect: CWE-78
}

exports.handler = async (event) => {
  const job = runLater('convert ' + event.queryStringParameters.file);
  job();
  return { statusCode: 202 };
};
