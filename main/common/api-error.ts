import type { ApiErrorCode, ApiErrorData } from './api';
import type { FieldProblem } from './vm-config';

/** The error every API method rejects with; serializable across IPC and WebSocket. */
export class ApiError extends Error implements ApiErrorData {
  constructor(
    public readonly code: ApiErrorCode,
    message: string,
    public readonly problems?: FieldProblem[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
  toData(): ApiErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.problems ? { problems: this.problems } : {}),
    };
  }
  static fromData(d: ApiErrorData): ApiError {
    return new ApiError(d.code, d.message, d.problems);
  }
}

export function isApiErrorData(x: unknown): x is ApiErrorData {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as ApiErrorData).code === 'string' &&
    typeof (x as ApiErrorData).message === 'string'
  );
}
