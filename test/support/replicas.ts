/**
 * Several real `twir serve` processes (the built bin/twir.js) as replicas
 * behind a load balancer: each is named (TWIR_REPLICA_NAME, so every
 * response says which one answered in `X-Twir-Replica`), listens on its own
 * loopback port and shares the state with the others. Today the shared state
 * is one SQLite file every replica opens (TWIR_DB, WAL); with `databaseUrl`
 * the replicas get DATABASE_URL (PostgreSQL) and each its own copy of the
 * archive file, the layout of several machines.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/twir.js', import.meta.url));

export interface ReplicaSetOptions {
  count: number;
  /** The store every replica opens (TWIR_DB); with `databaseUrl`, copied once per replica as its local archive. */
  dbPath: string;
  /** TWIR_SOURCE: the folder the scheduled sync reads. */
  source: string;
  /** DATABASE_URL for shared state on PostgreSQL; unset = the shared SQLite file. */
  databaseUrl?: string;
  /** The platforms' variables and any other setting, the same for every replica (LOG_LEVEL must stay info or debug: the port is read from the log). */
  env?: Record<string, string>;
  /** HOME of the processes (a temporary directory). */
  home: string;
  /**
   * Give each replica its own host name (its own UTS namespace, `unshare --uts`, which needs root), as on
   * separate machines: a lease held by a dead replica is then taken over only once it expires
   * (TWIR_LEASE_TTL_SECONDS), not at once as on one host. See `canUseOwnHostnames`.
   */
  ownHostnames?: boolean;
  /** The twir executable (default: this checkout's bin/twir.js; the bench, bundled elsewhere, passes it). */
  bin?: string;
  /** How long one replica may take to be ready (ms; default 90 s: a busy machine is slow, never wrong). */
  readyTimeoutMs?: number;
}

export interface Replica {
  readonly index: number;
  /** TWIR_REPLICA_NAME, e.g. "replica-1": what `X-Twir-Replica` says. */
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** http://127.0.0.1:port */
  readonly url: string;
  stderr(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ReplicaSet {
  readonly replicas: Replica[];
  /** Starts replica `index` again (after it was killed); resolves once it is ready. */
  restart(index: number): Promise<Replica>;
  /**
   * Runs `twir <args>` on the replicas' shared state (the same TWIR_DB and DATABASE_URL); resolves with
   * its stdout. Asynchronous, so loopback fakes in the calling process keep answering meanwhile.
   */
  cli(args: string[]): Promise<string>;
  /** The replica whose process id is `pid`, if any. */
  byPid(pid: number): Replica | undefined;
  /** SIGTERM to every live replica, SIGKILL to any still running 15 s later; resolves once all have exited. */
  stop(): Promise<void>;
}

/** Starts `count` replicas and waits until every one answers `/readyz` with 200. */
export async function startReplicas(o: ReplicaSetOptions): Promise<ReplicaSet> {
  const replicas: Replica[] = [];
  const launch = async (index: number): Promise<Replica> => {
    const name = `replica-${index + 1}`;
    let dbPath = o.dbPath;
    if (o.databaseUrl) {
      // Shared state lives in PostgreSQL: the archive is each replica's own read model, as on separate machines.
      dbPath = `${o.dbPath}.${name}`;
      copyFileSync(o.dbPath, dbPath);
    }
    const command = [process.execPath, o.bin ?? BIN, 'serve'];
    // unshare and sh both exec: the child's pid is node's, so a signal reaches twir itself.
    const argv = o.ownHostnames ? ['unshare', '--uts', 'sh', '-c', `hostname ${name} && exec "$0" "$@"`, ...command] : command;
    const child = spawn(argv[0] as string, argv.slice(1), {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: o.home,
        TWIR_DB: dbPath,
        TWIR_SOURCE: o.source,
        PORT: '0',
        HOST: '127.0.0.1',
        TWIR_REPLICA_NAME: name,
        ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}),
        ...o.env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (c) => {
      err += String(c);
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const deadline = Date.now() + (o.readyTimeoutMs ?? 90_000);
    let port: number | null = null;
    let gone = false;
    void exited.then(() => {
      gone = true;
    });
    while (port === null) {
      if (gone) throw new Error(`${name} exited before listening:\n${err}`);
      if (Date.now() > deadline) throw new Error(`${name} did not listen in time:\n${err}`);
      const m = /Listening on port (\d+)/.exec(err);
      if (m) port = Number(m[1]);
      else await sleep(25);
    }
    const url = `http://127.0.0.1:${port}`;
    for (;;) {
      if (gone) throw new Error(`${name} exited before it was ready:\n${err}`);
      const status = await fetch(`${url}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) break;
      if (Date.now() > deadline) throw new Error(`${name} not ready in time (last /readyz ${status}):\n${err}`);
      await sleep(50);
    }
    const replica: Replica = { index, name, child, pid: child.pid ?? 0, url, stderr: () => err, exited };
    replicas[index] = replica;
    return replica;
  };
  try {
    await Promise.all(Array.from({ length: o.count }, (_, i) => launch(i)));
  } catch (err) {
    for (const r of replicas) r?.child.kill('SIGKILL');
    throw err;
  }
  const cli = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: o.home,
        TWIR_DB: o.dbPath,
        TWIR_SOURCE: o.source,
        ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}),
      };
      execFile(process.execPath, [o.bin ?? BIN, ...args], { env }, (err, stdout, stderr) =>
        err ? reject(new Error(`twir ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout),
      );
    });
  return {
    replicas,
    cli,
    restart: launch,
    byPid: (pid) => replicas.find((r) => r.pid === pid),
    async stop() {
      await Promise.all(
        replicas.map(async (r) => {
          if (r.child.exitCode !== null || r.child.signalCode !== null) return;
          r.child.kill('SIGTERM');
          const timer = setTimeout(() => r.child.kill('SIGKILL'), 15_000);
          await r.exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}

/** Whether this machine lets a replica have its own host name (`unshare --uts` works: root on Linux). */
export function canUseOwnHostnames(): boolean {
  return spawnSync('unshare', ['--uts', 'sh', '-c', 'hostname twir-probe'], { stdio: 'ignore' }).status === 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
