// A problem in a scenario file, placed so the user can find it: which
// document (1-based, as an editor counts `---` sections), which line, which field.

export interface ScenarioProblem {
  document: number;
  line?: number;
  field?: string;
  message: string;
  /** "Deployment "web"", when the document is a manifest with a name. */
  object?: string;
}

export function formatProblem(p: ScenarioProblem): string {
  const where = [`document ${p.document}${p.object ? ` (${p.object})` : ''}`];
  if (p.line !== undefined) where.push(`line ${p.line}`);
  const field = p.field && !p.message.startsWith(p.field) ? `${p.field}: ` : '';
  return `${where.join(', ')}: ${field}${p.message}`;
}

export class ScenarioError extends Error {
  constructor(readonly problems: ScenarioProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ScenarioError';
  }
}
