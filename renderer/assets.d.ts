// Vite turns imported images into URLs (small ones into data: URLs, which the CSP allows).
declare module '*.svg' {
  const url: string;
  export default url;
}
// Stylesheets imported for their side effect (xterm.js); Vite bundles them into the page's CSS.
declare module '*.css';
