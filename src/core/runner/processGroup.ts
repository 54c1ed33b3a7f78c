import * as fs from 'node:fs';

/** Waits until `check` is true, polling every `intervalMs`, for at most `timeoutMs`; resolves with the last answer. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, state: rest[0], ppid: Number(rest[1]), pgrp: Number(rest[2]) };
  } catch {
    return null;
  }
}

/** True while `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  const st = readStat(pid);
  return st !== null && st.state !== 'Z' && st.state !== 'X';
}

/** Processes of group `pgid` that are still running (zombies left to a non-reaping init do not count). */
export function liveGroupMembers(pgid: number): number[] {
  try {
    process.kill(-pgid, 0);
  } catch {
    return []; // ESRCH: nothing left, not even zombies
  }
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name));
    if (st && st.pgrp === pgid && st.state !== 'Z' && st.state !== 'X') out.push(st.pid);
  }
  return out;
}

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // already gone
  }
}

/** Nothing of the group and none of `extraPids` alive. */
export function groupGone(pgid: number, extraPids: Iterable<number>): boolean {
  if (liveGroupMembers(pgid).length) return false;
  for (const pid of extraPids) if (isAlive(pid)) return false;
  return true;
}

/**
 * Stops a process group: SIGTERM to the group and to `extraPids` (processes that announced themselves but
 * left the group), a bounded wait, then SIGKILL. Resolves true when everything is gone.
 */
export async function stopGroup(pgid: number, extraPids: Iterable<number>, graceMs: number): Promise<boolean> {
  const extras = [...extraPids];
  signal(-pgid, 'SIGTERM');
  for (const pid of extras) if (isAlive(pid)) signal(pid, 'SIGTERM');
  if (await waitFor(() => groupGone(pgid, extras), graceMs)) return true;
  signal(-pgid, 'SIGKILL');
  for (const pid of extras) if (isAlive(pid)) signal(pid, 'SIGKILL');
  for (const pid of liveGroupMembers(pgid)) signal(pid, 'SIGKILL');
  return waitFor(() => groupGone(pgid, extras), 5000);
}

/** Synchronous last resort when the runner itself ends. */
export function killGroupNow(pgid: number, extraPids: Iterable<number>): void {
  signal(-pgid, 'SIGKILL');
  for (const pid of extraPids) if (isAlive(pid)) signal(pid, 'SIGKILL');
}
