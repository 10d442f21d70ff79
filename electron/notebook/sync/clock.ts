/**
 * Causality for notes: which version of a note a machine had seen when it wrote another. A note is a multi-value
 * register (as in Riak's DVVSet): every write has a `dot` (`<device>:<counter>`) and the context of what it replaced.
 * A version is obsolete once another version's context covers its dot; versions neither of which covers the other were
 * written concurrently (two machines, no sync between) and are both kept: the user sees both and chooses.
 *
 * Why not "newest wins" for notes: two people (or one person on two machines) typing into the same note offline both
 * got "saved"; a timestamp would throw one of them away without anyone seeing it. Why a context with extra dots rather
 * than a plain version vector: a write may replace one version and keep a concurrent one (typing in the note while the
 * conflict is still shown), which a vector alone would claim to have seen.
 */

/** What a version had seen: counters per device (all of 1..n seen) plus single dots outside that run. */
export interface Context {
  vv: Record<string, number>;
  dots?: string[];
}

export interface NoteVersion {
  value: string;
  /** When it was written (ISO): orders the versions shown, never decides which one survives. */
  at: string;
  /** `<device>:<counter>`: who wrote it, the how-many-th write of that device to this register. */
  dot: string;
  /** The versions this one replaced (and everything they had seen). */
  seen: Context;
}

export function parseDot(dot: string): { device: string; n: number } {
  const i = dot.lastIndexOf(':');
  return { device: dot.slice(0, i), n: Number(dot.slice(i + 1)) };
}

export function covers(ctx: Context, dot: string): boolean {
  const { device, n } = parseDot(dot);
  return n <= (ctx.vv[device] ?? 0) || (ctx.dots?.includes(dot) ?? false);
}

/** Folds single dots into the counters where they continue a run; sorted, so equal contexts are equal JSON. */
export function compact(ctx: Context): Context {
  const vv: Record<string, number> = { ...ctx.vv };
  let dots = [...new Set(ctx.dots ?? [])];
  for (let changed = true; changed; ) {
    changed = false;
    dots = dots.filter((dot) => {
      const { device, n } = parseDot(dot);
      const have = vv[device] ?? 0;
      if (n <= have) return false;
      if (n === have + 1) {
        vv[device] = n;
        changed = true;
        return false;
      }
      return true;
    });
  }
  const sortedVv: Record<string, number> = {};
  for (const key of Object.keys(vv).sort()) if (vv[key] > 0) sortedVv[key] = vv[key];
  return dots.length ? { vv: sortedVv, dots: dots.sort() } : { vv: sortedVv };
}

export function joinContexts(...contexts: Context[]): Context {
  const vv: Record<string, number> = {};
  const dots: string[] = [];
  for (const ctx of contexts) {
    for (const [device, n] of Object.entries(ctx.vv)) vv[device] = Math.max(vv[device] ?? 0, n);
    dots.push(...(ctx.dots ?? []));
  }
  return compact({ vv, dots });
}

export function withDot(ctx: Context, dot: string): Context {
  return compact({ vv: ctx.vv, dots: [...(ctx.dots ?? []), dot] });
}

const versionKey = (v: NoteVersion): string => `${v.dot}\u0000${v.at}\u0000${v.value}`;

/**
 * The join of two registers: every version either side has, minus those another version has seen. Identity is the
 * whole version (dot, time and value), so two machines that somehow share a device id keep both notes, never one.
 */
export function joinVersions(a: readonly NoteVersion[], b: readonly NoteVersion[]): NoteVersion[] {
  const byKey = new Map<string, NoteVersion>();
  for (const v of [...a, ...b]) {
    const key = versionKey(v);
    const seen = byKey.get(key);
    byKey.set(key, seen ? { ...v, seen: joinContexts(seen.seen, v.seen) } : { ...v, seen: compact(v.seen) });
  }
  const all = [...byKey.values()];
  return all.filter((v) => !all.some((w) => w !== v && w.dot !== v.dot && covers(w.seen, v.dot))).sort(byNewest);
}

/** Newest first; ties broken by dot then value, so every machine orders (and shows) them the same way. */
export function byNewest(a: NoteVersion, b: NoteVersion): number {
  return b.at.localeCompare(a.at) || a.dot.localeCompare(b.dot) || a.value.localeCompare(b.value);
}

/** The next counter of `device` in this register: above every dot of it that any version has or has seen. */
function nextCounter(versions: readonly NoteVersion[], device: string): number {
  let max = 0;
  for (const v of versions) {
    const own = parseDot(v.dot);
    if (own.device === device) max = Math.max(max, own.n);
    max = Math.max(max, v.seen.vv[device] ?? 0);
    for (const dot of v.seen.dots ?? []) {
      const d = parseDot(dot);
      if (d.device === device) max = Math.max(max, d.n);
    }
  }
  return max + 1;
}

/**
 * A write on this machine: `value` replaces the versions `replaced` picks (by default all of them: the writer saw
 * the note as shown); the others stay beside it.
 */
export function writeVersion(
  versions: readonly NoteVersion[],
  value: string,
  at: string,
  device: string,
  replaced: (v: NoteVersion) => boolean = () => true,
): NoteVersion[] {
  const gone = versions.filter(replaced);
  const kept = versions.filter((v) => !replaced(v));
  const seen = joinContexts(...gone.map((v) => withDot(v.seen, v.dot)));
  const written: NoteVersion = { value, at, dot: `${device}:${nextCounter(versions, device)}`, seen };
  return joinVersions(kept, [written]);
}
