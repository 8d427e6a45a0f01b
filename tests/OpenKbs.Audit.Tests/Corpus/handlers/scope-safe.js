const { exec } = require('child_process');

function runLater(command) {
  return () => exec(command);
}

exports.handler = async (event) => {
  const file = event.queryStringParameters.file;
  {
    const file = 'default.png';
    runLater('convert ' + file)();
  }
  return { statusCode: 202, body: String(file.length) };
};
