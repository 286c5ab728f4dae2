// Vite build of the renderer, run from the repository root by esbuild.config.mjs
// (`npm run build`), so the paths below are relative to the repository root (root) and to
// renderer/ (outDir). Node imports are banned in renderer/ by the lint rules, hence no
// fileURLToPath here.
// base './' because the desktop app loads index.html from file://, where absolute /assets
// URLs would point at the file-system root.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // One bundle is fine for a local app; the size warning is noise.
    chunkSizeWarningLimit: 4000,
  },
});
