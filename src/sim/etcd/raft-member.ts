import { assign, setup } from 'xstate';
import { logIsUpToDate, type RaftLog } from './raft-log';

// One etcd member's raft role as a statechart: follower, candidate, leader,
// stopped. Terms, votes, heartbeats every 100 ms, randomized election
// timeouts, and CheckQuorum (a leader that has not heard from a quorum
// within an election timeout steps down), as etcd runs raft.

export type RaftRole = 'follower' | 'candidate' | 'leader' | 'stopped';

export type RaftEvent =
  | { type: 'raft.requestVote'; from: string; term: number; lastIndex: number; lastTerm: number }
  | { type: 'raft.vote'; from: string; term: number; granted: boolean }
  | { type: 'raft.heartbeat'; from: string; term: number; commitIndex: number; lastIndex: number; lastTerm: number }
  | { type: 'raft.heartbeatAck'; from: string; term: number; matchIndex: number }
  | { type: 'member.stop' }
  | { type: 'member.start' };

type PeerMessage = Exclude<RaftEvent, { type: 'member.stop' } | { type: 'member.start' }>;

/** What a member needs from the world: the network, the clock, randomness. */
export interface RaftEnv {
  send(from: string, to: string, msg: PeerMessage): void;
  now(): number;
  /** A fresh randomized election timeout in ms, drawn from the seed. */
  electionTimeout(): number;
  readonly heartbeatInterval: number;
  readonly electionTimeoutBase: number;
  /** The leader brings a lagging follower's log up to its own (MsgApp with the missing entries). */
  catchUp(leader: string, follower: string): void;
}

export interface RaftContext {
  name: string;
  peers: string[];
  quorum: number;
  term: number;
  votedFor: string | null;
  votes: string[];
  leader: string | null;
  /** When the leader last heard from each follower (for CheckQuorum). */
  lastAck: Record<string, number>;
  log: RaftLog;
  env: RaftEnv;
}

export interface RaftInput {
  name: string;
  peers: string[];
  log: RaftLog;
  env: RaftEnv;
  /** The cluster was running before the scenario began: who leads at t=0, in term 1. */
  bootLeader: string | null;
}

const higherTerm = ({ context, event }: { context: RaftContext; event: RaftEvent }) =>
  'term' in event && event.term > context.term;

export const raftMemberMachine = setup({
  types: {
    context: {} as RaftContext,
    events: {} as RaftEvent,
    input: {} as RaftInput,
  },
  delays: {
    electionTimeout: ({ context }) => context.env.electionTimeout(),
    heartbeatInterval: ({ context }) => context.env.heartbeatInterval,
  },
  guards: {
    bootsAsLeader: ({ context }) => context.leader === context.name,
    higherTerm,
    currentOrHigherTerm: ({ context, event }) => 'term' in event && event.term >= context.term,
    wonElection: ({ context, event }) =>
      event.type === 'raft.vote' && event.term === context.term && event.granted && !context.votes.includes(event.from) && context.votes.length + 1 >= context.quorum,
    lostQuorum: ({ context }) => {
      const since = context.env.now() - context.env.electionTimeoutBase;
      let alive = 1;
      for (const p of context.peers) if ((context.lastAck[p] ?? -Infinity) >= since) alive++;
      return alive < context.quorum;
    },
  },
  actions: {
    adoptTerm: assign(({ context, event }) => ({
      term: (event as { term: number }).term,
      votedFor: null,
      votes: [],
      leader: event.type === 'raft.heartbeat' ? event.from : context.leader === context.name ? null : context.leader,
    })),
    startElection: assign(({ context }) => ({ term: context.term + 1, votedFor: context.name, votes: [context.name], leader: null })),
    requestVotes: ({ context }) => {
      for (const p of context.peers)
        context.env.send(context.name, p, {
          type: 'raft.requestVote',
          from: context.name,
          term: context.term,
          lastIndex: context.log.lastIndex,
          lastTerm: context.log.lastTerm,
        });
    },
    answerVote: assign(({ context, event }) => {
      if (event.type !== 'raft.requestVote') return {};
      const granted =
        event.term === context.term && (context.votedFor === null || context.votedFor === event.from) && logIsUpToDate(event, context.log);
      context.env.send(context.name, event.from, { type: 'raft.vote', from: context.name, term: context.term, granted });
      return granted ? { votedFor: event.from } : {};
    }),
    rejectStale: ({ context, event }) => {
      // A message from an older term gets our term back, which makes its sender step down.
      if (event.type === 'raft.requestVote')
        context.env.send(context.name, event.from, { type: 'raft.vote', from: context.name, term: context.term, granted: false });
      if (event.type === 'raft.heartbeat')
        context.env.send(context.name, event.from, { type: 'raft.heartbeatAck', from: context.name, term: context.term, matchIndex: context.log.lastIndex });
    },
    countVote: assign(({ context, event }) =>
      event.type === 'raft.vote' && event.granted && event.term === context.term && !context.votes.includes(event.from)
        ? { votes: [...context.votes, event.from] }
        : {},
    ),
    becomeLeader: assign(({ context }) => {
      const now = context.env.now();
      const lastAck: Record<string, number> = {};
      for (const p of context.peers) lastAck[p] = now; // a fresh leader gives everyone one election timeout
      return { leader: context.name, lastAck };
    }),
    appendNoop: ({ context }) => {
      // A new leader commits an empty entry of its own term (raft section 8).
      context.log.lastIndex += 1;
      context.log.lastTerm = context.term;
    },
    sendHeartbeats: ({ context }) => {
      for (const p of context.peers)
        context.env.send(context.name, p, {
          type: 'raft.heartbeat',
          from: context.name,
          term: context.term,
          commitIndex: context.log.commitIndex,
          lastIndex: context.log.lastIndex,
          lastTerm: context.log.lastTerm,
        });
    },
    followHeartbeat: assign(({ context, event }) => {
      if (event.type !== 'raft.heartbeat') return {};
      const log = context.log;
      // Our log is a prefix of the leader's once caught up: commit what it has committed.
      if (log.lastIndex === event.lastIndex && log.lastTerm === event.lastTerm) log.commitIndex = Math.max(log.commitIndex, event.commitIndex);
      context.env.send(context.name, event.from, { type: 'raft.heartbeatAck', from: context.name, term: context.term, matchIndex: log.lastIndex });
      return { leader: event.from };
    }),
    recordAck: assign(({ context, event }) => {
      if (event.type !== 'raft.heartbeatAck' || event.term !== context.term) return {};
      if (event.matchIndex < context.log.lastIndex) context.env.catchUp(context.name, event.from);
      return { lastAck: { ...context.lastAck, [event.from]: context.env.now() } };
    }),
    forgetLeader: assign({ leader: null, votes: [] }),
  },
}).createMachine({
  id: 'etcd-member',
  context: ({ input }) => ({
    name: input.name,
    peers: input.peers,
    quorum: Math.floor((input.peers.length + 1) / 2) + 1,
    term: 1,
    votedFor: input.bootLeader,
    votes: [],
    leader: input.bootLeader,
    lastAck: {},
    log: input.log,
    env: input.env,
  }),
  initial: 'booting',
  states: {
    booting: {
      always: [{ guard: 'bootsAsLeader', target: 'leader', actions: 'becomeLeader' }, { target: 'follower' }],
    },
    follower: {
      after: { electionTimeout: { target: 'candidate' } },
      on: {
        'raft.heartbeat': [
          { guard: 'higherTerm', target: 'follower', reenter: true, actions: ['adoptTerm', 'followHeartbeat'] },
          { guard: 'currentOrHigherTerm', target: 'follower', reenter: true, actions: 'followHeartbeat' },
          { actions: 'rejectStale' },
        ],
        'raft.requestVote': [
          // Granting a vote restarts the timer so we do not also campaign.
          { guard: 'higherTerm', target: 'follower', reenter: true, actions: ['adoptTerm', 'answerVote'] },
          { actions: 'answerVote' },
        ],
        'raft.vote': { guard: 'higherTerm', actions: 'adoptTerm' },
        'raft.heartbeatAck': { guard: 'higherTerm', actions: 'adoptTerm' },
        'member.stop': 'stopped',
      },
    },
    candidate: {
      entry: ['startElection', 'requestVotes'],
      after: { electionTimeout: { target: 'candidate', reenter: true } },
      always: { guard: ({ context }) => context.votes.length >= context.quorum, target: 'leader', actions: ['becomeLeader', 'appendNoop'] },
      on: {
        'raft.vote': [
          { guard: 'higherTerm', target: 'follower', actions: 'adoptTerm' },
          { guard: 'wonElection', target: 'leader', actions: ['countVote', 'becomeLeader', 'appendNoop'] },
          { actions: 'countVote' },
        ],
        'raft.heartbeat': [
          { guard: 'currentOrHigherTerm', target: 'follower', actions: ['adoptTerm', 'followHeartbeat'] },
          { actions: 'rejectStale' },
        ],
        'raft.requestVote': [{ guard: 'higherTerm', target: 'follower', actions: ['adoptTerm', 'answerVote'] }, { actions: 'rejectStale' }],
        'raft.heartbeatAck': { guard: 'higherTerm', target: 'follower', actions: 'adoptTerm' },
        'member.stop': 'stopped',
      },
    },
    leader: {
      entry: ['sendHeartbeats'],
      after: {
        heartbeatInterval: [
          { guard: 'lostQuorum', target: 'follower', actions: 'forgetLeader' },
          { target: 'leader', reenter: true },
        ],
      },
      on: {
        'raft.heartbeatAck': [{ guard: 'higherTerm', target: 'follower', actions: 'adoptTerm' }, { actions: 'recordAck' }],
        'raft.heartbeat': [{ guard: 'higherTerm', target: 'follower', actions: ['adoptTerm', 'followHeartbeat'] }, { actions: 'rejectStale' }],
        'raft.requestVote': [{ guard: 'higherTerm', target: 'follower', actions: ['adoptTerm', 'answerVote'] }, { actions: 'rejectStale' }],
        'raft.vote': { guard: 'higherTerm', target: 'follower', actions: 'adoptTerm' },
        'member.stop': 'stopped',
      },
    },
    stopped: {
      // The process is gone; its term, vote and log survive on disk.
      entry: 'forgetLeader',
      on: { 'member.start': 'follower' },
    },
  },
});
