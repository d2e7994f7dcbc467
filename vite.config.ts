/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// base './' makes the built site work from any static host and any sub-path.
export default defineConfig({
  base: './',
  plugins: [react()],
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 1024 },
  // The simulation's Web Worker (src/app/host/sim-worker.ts) is an ES module, so it shares chunks with the page.
  worker: { format: 'es' },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    // Whole-cluster stories run minutes of simulated time; on a busy CI machine they need more than the default 5 s.
    testTimeout: 30_000,
  },
});
