import { defineConfig } from 'vite';

export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/auth': 'http://localhost:2567', '/characters': 'http://localhost:2567', '/health': 'http://localhost:2567' } },
});
