// The guided story of the open scenario (a gallery scenario, or any file
// whose Scenario document has the kubeviz.dev/watch, try or teaches
// annotations): what to watch, what to try, what it teaches. Collapsible;
// plain text only.
import { memo, useMemo, useState } from 'react';
import { paragraphs, readStory, type Story } from '../session/story';
import type { ClusterViewState } from '../store/cluster-store';
import { selectLoad } from '../store/selectors';
import { useClusterStore } from '../store/store-context';

const selectScenarioText = (s: ClusterViewState) => s.scenarioText;

export function StoryPanel() {
  const load = useClusterStore(selectLoad);
  const scenario = useClusterStore(selectScenarioText);
  // `load` is a new object whenever a session opens: the story follows the scenario.
  const story = useMemo(() => (load.ok ? readStory(scenario) : null), [load, scenario]);
  if (!story) return null;
  // A new session's story opens unfolded.
  return <StoryBox key={sessionNumber(load)} story={story} />;
}

/** A number per opened session: openSession gives every session a new `load` object. */
const sessionNumbers = new WeakMap<object, number>();
function sessionNumber(load: object): number {
  let n = sessionNumbers.get(load);
  if (n === undefined) sessionNumbers.set(load, (n = ++opened));
  return n;
}
let opened = 0;

const SECTIONS: Array<{ key: 'watch' | 'try' | 'teaches'; label: string }> = [
  { key: 'watch', label: 'Watch' },
  { key: 'try', label: 'Try' },
  { key: 'teaches', label: 'What it teaches' },
];

const StoryBox = memo(function StoryBox({ story }: { story: Story }) {
  const [open, setOpen] = useState(true);
  return (
    <section className={`panel story-panel${open ? ' is-open' : ''}`} data-testid="story-panel" aria-label="Story">
      <header className="panel-header story-header">
        <h2>Story</h2>
        <button type="button" className="btn btn-ghost story-toggle" data-testid="story-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide' : 'Show'}
        </button>
      </header>
      {story.title && (
        <p className="story-title" data-testid="story-title">
          {story.title}
        </p>
      )}
      {open && (
        <div className="panel-body story-body" data-testid="story-body">
          {story.description && <p className="story-description">{story.description}</p>}
          {SECTIONS.map(({ key, label }) =>
            story[key] ? (
              <div key={key} className="story-section" data-testid={`story-${key}`}>
                <h3>{label}</h3>
                {paragraphs(story[key]!).map((p, i) => (
                  <p key={i}>{p}</p>
                ))}
              </div>
            ) : null,
          )}
        </div>
      )}
    </section>
  );
});
