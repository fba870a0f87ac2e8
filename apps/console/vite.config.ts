import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// vrs-server serves dist/ at `/` (its consoleDir) and answers every other path with index.html.
export default defineConfig({
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
});
