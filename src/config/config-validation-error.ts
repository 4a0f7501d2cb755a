import type { EnvVariable } from './env.schema';

export interface ConfigProblem {
  variable: EnvVariable;
  /** Why the value is wrong; may already end with the received value (never for secrets). */
  message: string;
}

/** Thrown by validateEnv: one line per problem, every bad variable named. */
export class ConfigValidationError extends Error {
  override readonly name = 'ConfigValidationError';
  declare readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const noun = problems.length === 1 ? 'problem' : 'problems';
    super(
      [
        `Invalid configuration (${problems.length} ${noun}); see .env.example:`,
        ...problems.map((p) => `  ${p.variable}: ${p.message}`),
      ].join('\n'),
    );
    // Operators need the list, which the message already is: no stack trace, and `problems` (for code) kept
    // out of the error's printed form so each line appears once.
    Object.defineProperty(this, 'problems', { value: problems, enumerable: false });
    this.stack = `${this.name}: ${this.message}`;
  }
}
