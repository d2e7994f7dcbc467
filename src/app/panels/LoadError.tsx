/** Shown instead of the cluster when the scenario could not be read or built. */
export function LoadError({ error }: { error: string }) {
  return (
    <main className="load-error" data-testid="load-error" role="alert">
      <h1>The scenario could not be loaded</h1>
      <p>kubeviz found these problems in the scenario. Nothing was started.</p>
      <pre>{error}</pre>
    </main>
  );
}
