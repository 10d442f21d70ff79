import net from 'node:net';

/**
 * A guard for tests that name non-loopback addresses (169.254.169.254, 10.x, a made-up public name): every socket this
 * process opens (net and tls both go through net.Socket.prototype.connect) may reach 127.0.0.0/8 or ::1 only. Anything
 * else is recorded and fails with an error instead of connecting, so even a broken build under test can never send a
 * packet off this machine. A connection to a name goes through the connect's own `lookup` (which Gloss pins to the
 * address it checked); without one, the name would be resolved by the system, so it is refused outright.
 */
export interface LoopbackOnly {
  /** Every connect attempt, allowed or not: `host:port`, or `host:port -> address` when a lookup answered. */
  readonly attempts: string[];
  /** The attempts that were stopped because they were not loopback. */
  readonly blocked: string[];
  restore(): void;
}

const LOOPBACK = /^(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

type ConnectArgs = Parameters<net.Socket['connect']>;
type Lookup = NonNullable<net.TcpSocketConnectOpts['lookup']>;

export function allowLoopbackOnly(): LoopbackOnly {
  const original = net.Socket.prototype.connect;
  const attempts: string[] = [];
  const blocked: string[] = [];
  const stop = (socket: net.Socket, what: string): net.Socket => {
    blocked.push(what);
    process.nextTick(() => socket.destroy(Object.assign(new Error(`test guard: refused to connect to ${what}`), { code: 'ETESTGUARD' })));
    return socket;
  };
  net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]): net.Socket {
    // Node calls connect with its own normalized form ([options, callback] as one array) or the public forms.
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    const options: Partial<net.TcpSocketConnectOpts & net.IpcSocketConnectOpts> =
      typeof first === 'object' && first !== null ? (first as object) : { port: Number(first), host: typeof args[1] === 'string' ? args[1] : 'localhost' };
    // A Unix socket is local by definition (http passes `path: null` for TCP, so only a string means one).
    if (typeof options.path === 'string') return original.apply(this, args as unknown as ConnectArgs);
    const host = String(options.host ?? 'localhost').replace(/^\[|\]$/g, '');
    const what = `${host}:${options.port}`;
    if (net.isIP(host)) {
      attempts.push(what);
      return LOOPBACK.test(host) ? original.apply(this, args as unknown as ConnectArgs) : stop(this, what);
    }
    const lookup = options.lookup;
    if (!lookup) {
      attempts.push(what);
      return stop(this, `${what} (a name the system would resolve)`);
    }
    // Let the caller's lookup answer, but only a loopback answer may be connected to.
    const guarded: Lookup = (hostname, opts, callback) =>
      lookup(hostname, opts, ((err: NodeJS.ErrnoException | null, address: string | { address: string }[], family?: number) => {
        const list = typeof address === 'string' ? [address] : (address ?? []).map((a: { address: string }) => a.address);
        attempts.push(`${what} -> ${list.join(',')}`);
        const bad = list.find((a) => !LOOPBACK.test(a));
        if (!err && bad) {
          blocked.push(`${what} -> ${bad}`);
          return (callback as (e: Error) => void)(Object.assign(new Error(`test guard: refused ${bad}`), { code: 'ETESTGUARD' }));
        }
        return (callback as (e: unknown, a: unknown, f?: number) => void)(err, address, family);
      }) as never);
    options.lookup = guarded;
    return original.apply(this, args as unknown as ConnectArgs);
  } as typeof original;
  return {
    attempts,
    blocked,
    restore: () => {
      net.Socket.prototype.connect = original;
    },
  };
}
