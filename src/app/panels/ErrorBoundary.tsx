import { Component, type ErrorInfo, type ReactNode } from 'react';

/** A rendering bug shows its message instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('kubeviz UI error', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <main className="load-error" data-testid="ui-error" role="alert">
        <h1>Something in the page broke</h1>
        <p>Reload to start again. The error was:</p>
        <pre>{this.state.error.stack ?? this.state.error.message}</pre>
      </main>
    );
  }
}
