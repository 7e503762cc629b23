/**
 * Thrown by the dialect translation for Redshift SQL the emulator cannot run. The statement
 * ends FAILED with this message in `Error`, naming the construct, as a database error would.
 */
export class UnsupportedConstructError extends Error {
  readonly construct: string;

  constructor(construct: string, hint: string) {
    super(
      `ERROR: ${construct} is not supported by the Stepshift Redshift Data API emulator (it runs PostgreSQL). ${hint}`,
    );
    this.name = 'UnsupportedConstructError';
    this.construct = construct;
  }
}
