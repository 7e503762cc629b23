/** Entry point of the `stepshift` command: dispatches to one module per subcommand. */
const USAGE = `usage: stepshift <command> [options]

commands:
  serve   run the local Redshift Data API emulator on loopback
  run     execute a Step Functions state machine locally`;

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.js')).serve,
  run: async () => (await import('./run.js')).run,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (load === undefined) {
    console.error(`stepshift: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  const command = await load();
  return command(rest);
}
