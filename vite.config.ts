/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// base './' makes the built site work from any static host and any sub-path.
export default defineConfig({
  base: './',
  plugins: [react()],
  // One bundle for now: the simulation is most of it, and moves to a Worker chunk later.
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 1024 },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    // Whole-cluster stories run minutes of simulated time; on a busy CI machine they need more than the default 5 s.
    testTimeout: 30_000,
  },
});
