// What a member has on disk: how far its raft log reaches and what it has
// committed. Kept outside the statechart as plain data the cluster advances
// on every write (one object per member), because a write touches every
// member and sending an actor event per member per write would cost more
// than the write itself. The statechart reads it to decide votes.

export interface RaftLog {
  lastIndex: number;
  lastTerm: number;
  commitIndex: number;
}

/** Raft's "at least as up-to-date" rule for granting a vote (section 5.4.1 of the paper). */
export function logIsUpToDate(candidate: { lastIndex: number; lastTerm: number }, mine: RaftLog): boolean {
  return candidate.lastTerm > mine.lastTerm || (candidate.lastTerm === mine.lastTerm && candidate.lastIndex >= mine.lastIndex);
}
