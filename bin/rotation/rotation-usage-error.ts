/** A wrong command line: exit 2 with the usage. */
export class RotationUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationUsageError';
  }
}
