/**
 * The one entry point both transports use: validate the raw arguments of a call, run it, and
 * turn any outcome into something JSON/structured-clone can carry. Unexpected exceptions become
 * 'internal' errors with their message only (no stack traces to the renderer).
 */
import { API_METHODS, type ApiErrorData, type ApiMethod, type GlaunchApi } from '../../common/api';
import { ApiError } from '../../common/api-error';
import { parseApiArgs } from '../../common/api-schema';

export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: ApiErrorData };

export function isApiMethod(m: unknown): m is ApiMethod {
  return typeof m === 'string' && (API_METHODS as readonly string[]).includes(m);
}

export async function callApi(
  api: GlaunchApi,
  method: unknown,
  rawArgs: unknown,
): Promise<CallOutcome> {
  try {
    if (!isApiMethod(method))
      throw new ApiError('validation', `unknown method '${String(method)}'`);
    const args = parseApiArgs(method, rawArgs);
    const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
    const result = await fn.apply(api, args);
    return { ok: true, result: result === undefined ? null : result };
  } catch (e) {
    return { ok: false, error: toApiErrorData(e) };
  }
}

export function toApiErrorData(e: unknown): ApiErrorData {
  if (e instanceof ApiError) return e.toData();
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && typeof err.syscall === 'string') {
    return {
      code: 'io',
      message: `${err.syscall} failed: ${err.code}${err.path ? ` (${err.path})` : ''}`,
    };
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(e) };
}
