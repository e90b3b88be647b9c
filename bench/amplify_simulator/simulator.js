// AWS Amplify's AppSync simulator (@aws-amplify/amplify-appsync-simulator, what `amplify mock
// api` runs) for bench/vs_amplify_simulator.py. Reads the simulator configuration (schema,
// data sources, resolvers with their templates, auth) as JSON from the file named by
// argv[2], serves it on a free loopback port, writes {"graphqlUrl": ...} to the file named by
// argv[3] when ready, and stops on SIGINT/SIGTERM or when stdin closes (the parent went away).
'use strict';

const fs = require('fs');
const http = require('http');
const { AmplifyAppSyncSimulator } = require('@aws-amplify/amplify-appsync-simulator');

// The simulator calls listen(port) with no host, i.e. every interface; the bench only ever
// talks to it over loopback, so bind it there.
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function loopbackListen(port, ...rest) {
  if (typeof port === 'number' && (rest.length === 0 || typeof rest[0] === 'function')) {
    return listen.call(this, port, '127.0.0.1', ...rest);
  }
  return listen.call(this, port, ...rest);
};

async function main() {
  const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  // No port: the simulator asks get-port for a free one (8900-9999).
  const simulator = new AmplifyAppSyncSimulator({});
  simulator.init(config);
  await simulator.start();
  const { port } = new URL(simulator.localhostUrl);
  const ready = JSON.stringify({ graphqlUrl: `http://127.0.0.1:${port}/graphql` });
  fs.writeFileSync(`${process.argv[3]}.tmp`, ready);
  fs.renameSync(`${process.argv[3]}.tmp`, process.argv[3]);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await simulator.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
