/**
 * Health of the link to main. Only the WebSocket transport has one; with Electron IPC the
 * source is absent and the UI never shows a connection banner.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'incompatible';

export interface ConnectionSource {
  readonly state: ConnectionState;
  onStateChange(listener: (s: ConnectionState) => void): () => void;
}
