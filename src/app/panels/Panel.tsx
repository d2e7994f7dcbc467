import type { ReactNode } from 'react';

/** A titled box whose body scrolls on its own. */
export function Panel({ title, count, testId, className, children }: { title: string; count?: ReactNode; testId: string; className?: string; children: ReactNode }) {
  return (
    <section className={`panel ${className ?? ''}`} data-testid={testId} aria-label={title}>
      <header className="panel-header">
        <h2>{title}</h2>
        {count !== undefined && <span className="panel-count">{count}</span>}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
