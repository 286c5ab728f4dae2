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

/**
 * Electron's contextBridge cannot carry class instances between worlds, so `window.glaunch`
 * (the preload's API) rejects with plain ApiErrorData objects. Wrap it once in the renderer —
 * `reviveApiErrors(window.glaunch)` — so callers can rely on `e instanceof ApiError`.
 * Other rejections pass through unchanged; events and return values are untouched.
 */
export function reviveApiErrors<T extends object>(api: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(api)) {
    if (typeof value !== 'function' || /^on[A-Z]/.test(key)) {
      out[key] = value;
      continue;
    }
    out[key] = (...args: unknown[]) =>
      Promise.resolve((value as (...a: unknown[]) => unknown)(...args)).catch((e: unknown) => {
        throw e instanceof ApiError || !isApiErrorData(e) ? e : ApiError.fromData(e);
      });
  }
  return out as T;
}
