// The explainer's two tables. Filter: node x plugin, "passed" or
// upstream's reason (Filter stops at a node's first rejection, so later
// plugins did not run there). Score: per node and plugin the raw score, the
// normalized score (NormalizeScore, 0..100), the weight and the weighted
// score, then the total, the rank and the winner, ties marked. A few nodes
// read best as columns (plugins down the side, full names); many nodes as
// rows.
import { memo, type ReactNode } from 'react';
import type { FilterView, ScoreView } from '../store/explainer-views';

/** Up to this many nodes the tables put nodes in columns. */
const NODE_COLUMNS = 5;

export const FilterTable = memo(function FilterTable({ filter }: { filter: FilterView }) {
  const wide = filter.rows.length <= NODE_COLUMNS;
  return (
    <section className="explainer-section" aria-label="Filter">
      <h3>Filter</h3>
      <div className="explainer-table-wrap">
        {wide ? (
          <table className="mini-table explainer-table filter-table" data-testid="filter-table">
            <thead>
              <tr>
                <th scope="col">Plugin</th>
                {filter.rows.map((r) => (
                  <th key={r.node} scope="col" className={r.feasible ? 'node-feasible' : 'node-infeasible'} data-testid="filter-node" data-node={r.node} data-feasible={r.feasible}>
                    {r.node}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {filter.plugins.map((p, i) => (
                <tr key={p}>
                  <th scope="row" className="plugin-name" title={p}>
                    <PluginName name={p} />
                  </th>
                  {filter.rows.map((r) => {
                    const c = r.cells[i];
                    return (
                      <td key={r.node} className={`verdict verdict-${c.verdict}`} data-testid="filter-cell" data-node={r.node} data-plugin={p} data-verdict={c.verdict}>
                        {c.verdict === 'passed' ? '✓ passed' : c.verdict === 'failed' ? c.reason : c.verdict === 'skipped' ? 'skipped' : '—'}
                      </td>
                    );
                  })}
                </tr>
              ))}
              <tr className="filter-result-row">
                <th scope="row">Result</th>
                {filter.rows.map((r) => (
                  <td key={r.node} className={r.feasible ? 'verdict-passed' : 'verdict-failed'} data-testid="filter-result" data-node={r.node}>
                    {r.feasible ? 'feasible' : 'filtered out'}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        ) : (
          <table className="mini-table explainer-table filter-table" data-testid="filter-table">
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">Result</th>
                <th scope="col">Rejected by</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {filter.rows.map((r) => (
                <tr key={r.node} data-testid="filter-node" data-node={r.node} data-feasible={r.feasible}>
                  <td className="mono">{r.node}</td>
                  <td className={r.feasible ? 'verdict-passed' : 'verdict-failed'} data-testid="filter-result" data-node={r.node}>
                    {r.feasible ? 'feasible' : 'filtered out'}
                  </td>
                  <td className="plugin-name">{r.plugin ?? ''}</td>
                  <td data-testid="filter-cell" data-node={r.node} data-plugin={r.plugin ?? ''} data-verdict={r.feasible ? 'passed' : 'failed'}>
                    {r.reason ?? `passed ${r.cells.length} plugins`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
});

export const ScoreTable = memo(function ScoreTable({ score }: { score: ScoreView }) {
  const wide = score.rows.length <= NODE_COLUMNS;
  const scored = score.plugins.map((p, i) => ({ ...p, i })).filter((p) => !p.skipped);
  const skipped = score.plugins.filter((p) => p.skipped);
  return (
    <section className="explainer-section" aria-label="Score">
      <h3>
        Score{score.final ? ' and NormalizeScore' : ''}
        <span className="muted"> · {score.final ? 'raw → normalized × weight = weighted' : 'raw scores; NormalizeScore comes next'}</span>
      </h3>
      <div className="explainer-table-wrap">
        {wide ? (
          <table className="mini-table explainer-table score-table" data-testid="score-table" data-final={score.final}>
            <thead>
              <tr>
                <th scope="col">Plugin (weight)</th>
                {score.rows.map((r) => (
                  <th key={r.node} scope="col" className={r.winner ? 'node-chosen' : undefined}>
                    {r.node}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {scored.map((p) => (
                <tr key={p.name}>
                  <th scope="row" className="plugin-name" title={p.name}>
                    <PluginName name={p.name} /> <span className="muted">×{p.weight}</span>
                  </th>
                  {score.rows.map((r) => {
                    const c = r.cells[p.i];
                    return (
                      <ScoreTd key={r.node} node={r.node} plugin={p.name} cell={c} final={score.final} title={c && `raw ${c.raw}, normalized ${c.normalized}, weight ${c.weight}: ${c.weighted}`}>
                        {!c ? '—' : score.final ? (
                          <>
                            <span className="score-calc">
                              {c.raw} → {c.normalized} ×{c.weight} ={' '}
                            </span>
                            <strong>{c.weighted}</strong>
                          </>
                        ) : (
                          c.raw
                        )}
                      </ScoreTd>
                    );
                  })}
                </tr>
              ))}
              {score.final && (
                <tr className="score-total-row">
                  <th scope="row">Total</th>
                  {score.rows.map((r) => (
                    <Total key={r.node} row={r} />
                  ))}
                </tr>
              )}
            </tbody>
          </table>
        ) : (
          <table className="mini-table explainer-table score-table" data-testid="score-table" data-final={score.final}>
            <thead>
              <tr>
                <th scope="col">Node</th>
                {scored.map((p) => (
                  <th key={p.name} scope="col" title={`${p.name}, weight ${p.weight}`}>
                    {abbreviate(p.name)}
                  </th>
                ))}
                {score.final && <th scope="col">Total</th>}
              </tr>
            </thead>
            <tbody>
              {score.rows.map((r) => (
                <tr key={r.node} className={r.winner ? 'node-chosen' : undefined}>
                  <td className="mono">{r.node}</td>
                  {scored.map((p) => {
                    const c = r.cells[p.i];
                    return (
                      <ScoreTd key={p.name} node={r.node} plugin={p.name} cell={c} final={score.final} title={c && `${p.name}: raw ${c.raw}, normalized ${c.normalized}, weight ${c.weight}`}>
                        {c ? (score.final ? c.weighted : c.raw) : '—'}
                      </ScoreTd>
                    );
                  })}
                  {score.final && <Total row={r} />}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {skipped.length > 0 && (
        <p className="muted explainer-note">
          PreScore said Skip (nothing to score) for {skipped.map((p) => p.name).join(', ')}.
        </p>
      )}
      {score.final && score.winner && (
        <p className="explainer-winner" data-testid="explainer-winner" data-node={score.winner} data-tie={score.tie.length > 1}>
          {score.tie.length > 1 ? (
            <>
              Tie at {score.rows[0].total} between {score.tie.join(', ')}: selectHost picks one at random (reservoir sampling on the seeded random), here <strong>{score.winner}</strong>.
            </>
          ) : (
            <>
              Highest total: <strong>{score.winner}</strong>, {score.rows.find((r) => r.winner)?.total}.
            </>
          )}
        </p>
      )}
    </section>
  );
});

/** One node's score from one plugin, in either orientation of the table; the figures ride along as data-* for tests and tools. */
function ScoreTd({ node, plugin, cell, final, title, children }: { node: string; plugin: string; cell: ScoreView['rows'][number]['cells'][number]; final: boolean; title: string | null; children: ReactNode }) {
  return (
    <td
      className="score-cell mono"
      data-testid="score-cell"
      data-node={node}
      data-plugin={plugin}
      data-raw={cell?.raw}
      {...(final && cell ? { 'data-normalized': cell.normalized, 'data-weight': cell.weight, 'data-weighted': cell.weighted } : {})}
      title={title ?? undefined}
    >
      {children}
    </td>
  );
}

function Total({ row }: { row: ScoreView['rows'][number] }) {
  return (
    <td className={`score-total mono${row.winner ? ' winner' : ''}${row.tied ? ' tied' : ''}`} data-testid="score-total" data-node={row.node} data-total={row.total} data-rank={row.rank} data-winner={row.winner}>
      <strong>{row.total}</strong>
      <span className="muted"> #{row.rank}</span>
      {row.winner && <span className="badge badge-ok">chosen</span>}
      {row.tied && !row.winner && <span className="badge badge-muted">tied</span>}
    </td>
  );
}

/** A plugin's name that may break between its words in a narrow column ("NodeResources<wbr>Fit"). */
function PluginName({ name }: { name: string }) {
  const words = name.split(/(?=[A-Z][a-z])/);
  return (
    <>
      {words.map((w, i) => (
        <span key={i}>
          {i > 0 && <wbr />}
          {w}
        </span>
      ))}
    </>
  );
}

/** "NodeResourcesBalancedAllocation" -> "NRBA", for narrow column heads (the full name is the title). */
function abbreviate(name: string): string {
  return name.replace(/[a-z]/g, '');
}
