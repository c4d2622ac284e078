import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { fileURLToPath } from 'node:url';

// One config for the app build (embedded into the Go binary from dist/) and
// for vitest. The bundle is self-contained: no CDN, no external fonts.
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  resolve: {
    alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    // `npm run dev` against a running `batchdesk serve`: set BATCHDESK_SERVE
    // to its base URL (http://127.0.0.1:PORT) to proxy /api there.
    proxy: process.env.BATCHDESK_SERVE
      ? { '/api': { target: process.env.BATCHDESK_SERVE, changeOrigin: true } }
      : undefined,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['./src/test/setup.ts'],
    reporters: ['default'],
    // Component tests render real Svelte trees in jsdom; on a loaded 2-core
    // machine a few take seconds, so the 5 s default fails them spuriously.
    testTimeout: 30000,
  },
});
