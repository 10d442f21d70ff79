import type { ApiError, ErrorCode } from '../contract';

/**
 * The one error type the notebook throws on purpose. Its code maps to an HTTP status (contract.ts HTTP_STATUS) and
 * travels unchanged over IPC; its message is written for the user: it names what was wrong.
 */
export class GlossError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GlossError';
  }

  toApiError(): ApiError {
    return { code: this.code, message: this.message };
  }
}

export const invalid = (message: string): GlossError => new GlossError('invalid_input', message);
export const notFound = (message: string): GlossError => new GlossError('not_found', message);
