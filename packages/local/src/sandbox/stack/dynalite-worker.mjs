// dynalite on a loopback port, in its own thread (see local-dynamodb.ts). Plain JavaScript so
// the worker starts without a TypeScript loader. Messages to the parent:
// {port} once listening, {failed} if it cannot listen; 'close' from the parent closes it.
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

const server = dynalite({
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
  ...(workerData.path === undefined ? {} : { path: workerData.path }),
});
server.once('error', (error) => parentPort.postMessage({ failed: error.message }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  server.closeAllConnections();
  server.close(() => parentPort.close());
});
