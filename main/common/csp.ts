/**
 * The Content-Security-Policy of the app, the same in Electron (response header set by main) and
 * in web mode (header set by `glaunch web`); renderer/index.html carries it as a meta tag too.
 *
 * style-src needs 'unsafe-inline': MUI's emotion injects <style> elements at runtime. A nonce
 * would need a per-load value threaded into emotion's cache in both transports; inline styles
 * cannot run code, while script-src stays 'self' only, so this is the accepted trade-off.
 * connect-src allows the web mode WebSocket (ws://127.0.0.1:PORT/api).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
