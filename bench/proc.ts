import * as fs from 'node:fs';

// What Linux says about a process: CPU time used (user + system) and its
// peak resident set, read from /proc, so the Node-RED child is measured
// from outside without changing it.

const TICKS_PER_SECOND = 100;

export interface CpuTimes {
  /** utime + stime */
  total: number;
  user: number;
  system: number;
}

/** CPU milliseconds of a running process. */
export function cpuTimes(pid: number): CpuTimes {
  return parseCpuTimes(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

export function parseCpuTimes(stat: string): CpuTimes {
  // the command name (field 2) may hold spaces: count after its ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error('unexpected /proc/<pid>/stat layout');
  }
  const ms = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
  return { total: ms(utime + stime), user: ms(utime), system: ms(stime) };
}

/** Peak and current resident set in MB (VmHWM, VmRSS). */
export function memoryMb(pid: number): { peakRss: number; rss: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return parseMemoryMb(status);
}

export function parseMemoryMb(status: string): {
  peakRss: number;
  rss: number;
} {
  const kb = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`no ${name} in /proc/<pid>/status`);
    return Number(match[1]);
  };
  return { peakRss: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 };
}

/** The 1-minute load average, to say under what load a figure was taken. */
export function loadAverage(): number {
  return Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}
