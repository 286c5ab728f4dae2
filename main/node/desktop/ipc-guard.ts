/**
 * Checks on every IPC call before it reaches the API (the Electron adapter passes plain facts
 * about the event, so this is testable without Electron):
 *  - the call comes from the main window's webContents, not another window or a webview;
 *  - from its top frame (an iframe, even of our origin, has no business calling the API);
 *  - and that frame shows the app's own page (app://glaunch/..., or the dev server in dev) —
 *    if navigation were ever tricked into loading a foreign page, it gets nothing.
 * Then the arguments are validated against the method's zod schema (callApi).
 */
import type { GlaunchApi } from '../../common/api';
import type { IpcOutcome } from '../../common/ipc';
import { callApi } from '../api/dispatch';

export interface IpcSenderFacts {
  /** webContents.id of the event's sender. */
  senderId: number;
  /** URL of event.senderFrame; null when the frame is gone. */
  frameUrl: string | null;
  /** event.senderFrame is the top frame (its parent is null). */
  isMainFrame: boolean;
}

export interface TrustedApp {
  /** webContents.id of the main window; undefined while there is none. */
  mainWindowId: number | undefined;
  /** Origins the app page may have, e.g. 'app://glaunch'. */
  origins: string[];
}

/** null when trusted, otherwise why not. */
export function untrustedSenderReason(s: IpcSenderFacts, app: TrustedApp): string | null {
  if (app.mainWindowId === undefined || s.senderId !== app.mainWindowId)
    return 'not the main window';
  if (!s.isMainFrame) return 'not the top frame';
  if (s.frameUrl === null) return 'sender frame is gone';
  let origin: string;
  try {
    const u = new URL(s.frameUrl);
    // Custom schemes give origin 'null' in WHATWG URL; compare scheme://host instead.
    origin = `${u.protocol}//${u.host}`;
  } catch {
    return `bad frame URL '${s.frameUrl}'`;
  }
  if (!app.origins.includes(origin)) return `page '${origin}' is not the app`;
  return null;
}

export async function handleIpcCall(
  api: GlaunchApi,
  method: string,
  args: unknown[],
  sender: IpcSenderFacts,
  app: TrustedApp,
): Promise<IpcOutcome> {
  const why = untrustedSenderReason(sender, app);
  if (why !== null) {
    console.error(`glaunch: refused IPC call ${method}: ${why}`);
    return { ok: false, error: { code: 'internal', message: `call refused: ${why}` } };
  }
  return callApi(api, method, args);
}
