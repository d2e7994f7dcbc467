import type { Actor } from 'xstate';
import { createSimActor } from '../kernel/actors';
import type { Kernel } from '../kernel/kernel';
import { MvccStore, type MvccEvent } from './mvcc';
import type { RaftLog } from './raft-log';
import { raftMemberMachine, type RaftEnv, type RaftEvent, type RaftRole } from './raft-member';

export interface EtcdSettings {
  members: number;
  /** etcd --heartbeat-interval, ms. */
  heartbeatInterval: number;
  /** etcd --election-timeout, ms; each wait is randomized in [t, 2t) as etcd does. */
  electionTimeout: number;
  /** One-way latency between members, ms. */
  peerLatency: number;
}

export const DEFAULT_ETCD: EtcdSettings = { members: 3, heartbeatInterval: 100, electionTimeout: 1000, peerLatency: 1 };

export interface EtcdMemberView {
  name: string;
  role: RaftRole;
  term: number;
  leader: string | null;
  lastIndex: number;
  commitIndex: number;
}

/** Why a write did not commit, in etcd's words. */
export class EtcdUnavailableError extends Error {}

interface Member {
  name: string;
  actor: Actor<typeof raftMemberMachine>;
  log: RaftLog;
}

/**
 * An etcd cluster: 1 to 7 members, each a raft statechart, in front of one
 * revisioned store (the replicated state machine they agree on). A write
 * commits only when the leader reaches a quorum of floor(n/2)+1 running
 * members; then every reachable member's log advances with it. Stopped
 * members keep their log and are caught up by the leader when they return.
 */
export class EtcdCluster {
  readonly store = new MvccStore<unknown>();
  readonly quorum: number;
  private members: Member[] = [];
  private byName = new Map<string, Member>();
  private commitListeners = new Set<(ev: MvccEvent) => void>();

  constructor(
    private readonly kernel: Kernel,
    readonly settings: EtcdSettings,
  ) {
    const n = settings.members;
    if (!Number.isInteger(n) || n < 1 || n > 7) throw new Error(`etcd members must be 1 to 7, got ${n}`);
    this.quorum = Math.floor(n / 2) + 1;
    const names = Array.from({ length: n }, (_, i) => `etcd-${i + 1}`);
    const env = this.env();
    for (const name of names) {
      const log: RaftLog = { lastIndex: 1, lastTerm: 1, commitIndex: 1 };
      const member: Member = { name, log, actor: undefined as unknown as Member['actor'] };
      this.members.push(member);
      this.byName.set(name, member);
    }
    for (const m of this.members) {
      m.actor = createSimActor(kernel, raftMemberMachine, {
        systemId: m.name,
        input: { name: m.name, peers: names.filter((p) => p !== m.name), log: m.log, env, bootLeader: names[0] },
      });
    }
    for (const m of this.members) m.actor.start();
  }

  private env(): RaftEnv {
    const { kernel, settings } = this;
    return {
      send: (from, to, msg) => this.deliver(from, to, msg),
      now: () => kernel.now,
      // etcd counts in ticks of heartbeat-interval and waits a random [base, 2*base) ticks.
      electionTimeout: () => {
        const ticks = Math.max(1, Math.round(settings.electionTimeout / settings.heartbeatInterval));
        return kernel.rng.range(ticks, 2 * ticks) * settings.heartbeatInterval;
      },
      heartbeatInterval: settings.heartbeatInterval,
      electionTimeoutBase: settings.electionTimeout,
      catchUp: (leader, follower) => this.catchUp(leader, follower),
    };
  }

  private deliver(from: string, to: string, msg: Exclude<RaftEvent, { type: 'member.stop' | 'member.start' }>): void {
    const target = this.byName.get(to)!;
    const up = this.roleOf(target) !== 'stopped';
    this.kernel.trace.record({
      from,
      to,
      verb: RAFT_VERBS[msg.type],
      resource: 'raft',
      key: `term ${msg.term}`,
      ok: up,
      ...(up ? {} : { error: 'connection refused' }),
    });
    if (!up) return;
    this.kernel.after(this.settings.peerLatency, 'raft.deliver', () => {
      if (this.roleOf(target) !== 'stopped') target.actor.send(msg);
    });
  }

  /** MsgApp with the entries the follower lacks: its log becomes the leader's. */
  private catchUp(leaderName: string, followerName: string): void {
    const leader = this.byName.get(leaderName)!;
    const follower = this.byName.get(followerName)!;
    if (this.roleOf(follower) === 'stopped') return;
    const missing = leader.log.lastIndex - follower.log.lastIndex;
    this.kernel.trace.record({
      from: leaderName,
      to: followerName,
      verb: 'raft append',
      resource: 'raft',
      key: `${missing} entries to index ${leader.log.lastIndex}`,
      ok: true,
    });
    follower.log.lastIndex = leader.log.lastIndex;
    follower.log.lastTerm = leader.log.lastTerm;
    follower.log.commitIndex = leader.log.commitIndex;
    this.advanceCommit(leader);
  }

  private advanceCommit(leader: Member): void {
    let have = 0;
    for (const m of this.members) if (this.roleOf(m) !== 'stopped' && m.log.lastIndex >= leader.log.lastIndex) have++;
    if (have >= this.quorum) leader.log.commitIndex = leader.log.lastIndex;
  }

  private roleOf(m: Member): RaftRole {
    return m.actor.getSnapshot().value as RaftRole;
  }

  /** The member that leads in the highest term, if any member leads. */
  leader(): string | null {
    let best: Member | undefined;
    for (const m of this.members) {
      if (this.roleOf(m) !== 'leader') continue;
      if (!best || m.actor.getSnapshot().context.term > best.actor.getSnapshot().context.term) best = m;
    }
    return best?.name ?? null;
  }

  /** The member a client request goes to: the leader, or any running member that will answer "no leader". */
  endpoint(): string {
    return this.leader() ?? this.members.find((m) => this.roleOf(m) !== 'stopped')?.name ?? this.members[0].name;
  }

  /**
   * Commits a write through raft: the leader appends it and replicates it to
   * every running member; it commits when a quorum has it. Throws
   * EtcdUnavailableError with etcd's message when there is no leader or no
   * quorum (the write is then not applied).
   */
  commit(apply: (store: MvccStore<unknown>) => MvccEvent | undefined): MvccEvent | undefined {
    this.replicate();
    const ev = apply(this.store);
    if (ev) this.publish(ev);
    return ev;
  }

  put(key: string, value: unknown): MvccEvent {
    this.replicate();
    const ev = this.store.put(key, value);
    this.publish(ev);
    return ev;
  }

  delete(key: string): MvccEvent | undefined {
    this.replicate();
    const ev = this.store.delete(key);
    if (ev) this.publish(ev);
    return ev;
  }

  private publish(ev: MvccEvent): void {
    for (const l of this.commitListeners) l(ev);
  }

  /** One raft round for one entry: throws when it cannot commit. */
  private replicate(): void {
    const name = this.leader();
    if (!name) {
      const anyUp = this.members.some((m) => this.roleOf(m) !== 'stopped');
      throw new EtcdUnavailableError(anyUp ? 'etcdserver: no leader' : 'context deadline exceeded: all etcd members are unreachable');
    }
    const leader = this.byName.get(name)!;
    const prevIndex = leader.log.lastIndex;
    // Counted without building arrays: this runs on every write.
    let running = 0;
    let caughtUp = 0;
    for (const m of this.members) {
      if (this.roleOf(m) === 'stopped') continue;
      running++;
      if (m.log.lastIndex === prevIndex) caughtUp++;
    }
    if (running < this.quorum) throw new EtcdUnavailableError('etcdserver: request timed out');
    // Lagging members get the missing entries first when the quorum needs them.
    if (caughtUp < this.quorum)
      for (const m of this.members) if (this.roleOf(m) !== 'stopped' && m.log.lastIndex !== prevIndex) this.catchUp(name, m.name);
    const term = leader.actor.getSnapshot().context.term;
    const index = prevIndex + 1;
    for (const m of this.members) {
      if (this.roleOf(m) === 'stopped' || m.log.lastIndex !== prevIndex) continue;
      m.log.lastIndex = index;
      m.log.lastTerm = term;
    }
    leader.log.commitIndex = index;
  }

  /** The apiserver's watch on etcd: told of every committed event. */
  onCommit(listener: (ev: MvccEvent) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  stopMember(name: string): void {
    this.memberOrThrow(name).actor.send({ type: 'member.stop' });
  }

  startMember(name: string): void {
    this.memberOrThrow(name).actor.send({ type: 'member.start' });
  }

  hasMember(name: string): boolean {
    return this.byName.has(name);
  }

  memberNames(): string[] {
    return this.members.map((m) => m.name);
  }

  view(): EtcdMemberView[] {
    return this.members.map((m) => {
      const snap = m.actor.getSnapshot();
      return {
        name: m.name,
        role: snap.value as RaftRole,
        term: snap.context.term,
        leader: snap.context.leader,
        lastIndex: m.log.lastIndex,
        commitIndex: m.log.commitIndex,
      };
    });
  }

  private memberOrThrow(name: string): Member {
    const m = this.byName.get(name);
    if (!m) throw new Error(`no etcd member ${JSON.stringify(name)} (members: ${this.memberNames().join(', ')})`);
    return m;
  }
}

const RAFT_VERBS: Record<string, string> = {
  'raft.requestVote': 'raft vote request',
  'raft.vote': 'raft vote',
  'raft.heartbeat': 'raft heartbeat',
  'raft.heartbeatAck': 'raft heartbeat ack',
};
