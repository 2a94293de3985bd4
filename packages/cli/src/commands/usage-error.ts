/** The command line itself is wrong: print the message (and, if asked, the whole usage), exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** Print the whole usage after the message: for a command line we cannot make sense of at all. */
  readonly showUsage: boolean;

  constructor(message: string, options: { showUsage?: boolean } = {}) {
    super(message);
    this.showUsage = options.showUsage ?? false;
  }
}
