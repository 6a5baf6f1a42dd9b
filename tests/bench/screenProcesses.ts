import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Arrivals, type ExportedArrivals } from './rawClients';

/** The screens of a load run as the load generator sees them: where they started, and what they got. */
export interface Screens {
  /** The site's seq when the screens subscribed (the highest any of them started from). */
  startSeq: number;
  /** Counts frames only from `countFrom` on, from zero. */
  begin(countFrom: number): void;
  /** Every screen's arrivals, on the calling process's clock. */
  collect(): Promise<Arrivals>;
  /** Each instance's screens' arrivals apart, in the order the groups were given. */
  collectEach(): Promise<Arrivals[]>;
  close(): Promise<void>;
  /** The screen processes' ids, one per group (the benchmark reads their CPU time). */
  pids: number[];
}

/** The next message from `child`, or its failure if it exits first. */
function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`screen process exited (${code}) before answering`));
    child.once('exit', onExit);
    child.once('message', (msg) => (child.off('exit', onExit), resolve(msg as T)));
  });
}

/**
 * Opens each instance's screens in a process of their own. Real screens are separate devices: held
 * in the load generator's one event loop, 2,000 of them were read one after another, so the last
 * screen's arrival time grew with the number of screens in the benchmark process, not with
 * anything the servers did (that process used 73 % of a core at 2,000 screens against 44 % at
 * 1,000). One process per instance keeps what each reads the same whether one instance runs or two,
 * and keeps the load generator's sending on time. (Processes, not worker threads: Node 20 cannot
 * give a worker thread the TypeScript loader.)
 */
export async function openScreenProcesses(groups: Array<{ baseUrl: string; n: number; token?: string; siteId: string }>): Promise<Screens> {
  const children: ChildProcess[] = [];
  let startSeq = 0;
  try {
    for (const group of groups) {
      // `advanced` serialisation carries the typed arrays of the arrivals as they are.
      const child = fork(fileURLToPath(new URL('./screenProcess.ts', import.meta.url)), [JSON.stringify(group)], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(child);
      startSeq = Math.max(startSeq, (await nextMessage<{ startSeq: number }>(child)).startSeq);
    }
  } catch (e) {
    children.forEach((c) => c.kill());
    throw e;
  }
  const collectEach = async (): Promise<Arrivals[]> => {
    const each: Arrivals[] = [];
    for (const c of children) {
      const got = nextMessage<{ arrivals: ExportedArrivals }>(c);
      c.send({ type: 'collect' });
      const one = new Arrivals();
      one.absorb((await got).arrivals);
      one.startSeq = startSeq;
      each.push(one);
    }
    return each;
  };
  return {
    startSeq,
    begin: (countFrom) => children.forEach((c) => c.send({ type: 'begin', countFrom })),
    async collect() {
      const all = new Arrivals();
      for (const one of await collectEach()) all.absorb(one.exported());
      all.startSeq = startSeq;
      return all;
    },
    collectEach,
    pids: children.map((c) => c.pid!),
    async close() {
      await Promise.all(children.map(async (c) => (c.send({ type: 'close' }), await once(c, 'exit'))));
    },
  };
}
