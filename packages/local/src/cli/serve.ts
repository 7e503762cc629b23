import { parseArgs } from 'node:util';
import { startRedshiftDataEmulator } from '../emulator/index.js';

const USAGE = `usage: stepshift serve [--port N] [--host ADDR] [--engine pglite|postgres://...] [--data-dir DIR]

Runs the Redshift Data API emulator until SIGINT/SIGTERM.
  --port N        port to listen on (0 = a free one)                 default 0
  --host ADDR     address to bind (loopback unless you say otherwise) default 127.0.0.1
  --engine E      'pglite' (embedded) or a postgres:// connection string  default pglite
  --data-dir DIR  PGlite only: keep the databases in DIR between runs  default: temporary`;

/** `stepshift serve`: prints `endpoint: URL` once the emulator accepts requests, then logs each request. */
export async function serve(args: string[]): Promise<number> {
  let values: {
    port?: string;
    host?: string;
    engine?: string;
    'data-dir'?: string;
    help?: boolean;
  };
  try {
    values = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        engine: { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`stepshift serve: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    console.log(USAGE);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(
      `stepshift serve: --port must be an integer from 0 to 65535; got ${JSON.stringify(values.port)}`,
    );
    return 2;
  }
  let emulator;
  try {
    emulator = await startRedshiftDataEmulator({
      port,
      ...(values.host !== undefined && { host: values.host }),
      ...(values.engine !== undefined && { engine: values.engine }),
      ...(values['data-dir'] !== undefined && { dataDir: values['data-dir'] }),
      onRequest: (e) =>
        console.log(
          `${new Date().toISOString()} ${e.operation} ${e.status} ${e.millis.toFixed(1)}ms${e.error === undefined ? '' : ` ${e.error}`}`,
        ),
    });
  } catch (error) {
    console.error(`stepshift serve: could not start the emulator: ${(error as Error).message}`);
    return 1;
  }
  console.log(`endpoint: ${emulator.endpoint}`);
  console.log(
    `try: AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws redshift-data execute-statement --region us-east-1 --endpoint-url ${emulator.endpoint} --cluster-identifier local --database dev --sql "select 1"`,
  );
  const running = emulator;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await running.close();
  console.log('stopped');
  return 0;
}
