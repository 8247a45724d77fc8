'use strict';
/**
 * CPU time (user + system, seconds) of the processes this bench started, read from
 * /proc. On a 2-core machine shared with other work, wall-clock time of a run mostly
 * measures the other work (a 1,000-cell run-all varies by ±15 % between identical runs);
 * the CPU time the run's own processes spend is what an overhead costs the user, and it
 * barely moves when the machine is busy.
 *
 * The processes are the descendants of this node process: Chromium (browser, renderer,
 * GPU and utility processes) and the Jupyter server with its kernels. A child that
 * exited and was reaped counts through its parent's cutime/cstime.
 */

const fs = require('fs');

const TICKS = 100; // USER_HZ: /proc reports clock ticks of 1/100 s on Linux

/** pid → { ppid, cpu (s), comm } for every process now alive. */
function processTable() {
  const table = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we read the table
    }
    // The command name is in parentheses and may itself hold spaces and ")".
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const rest = stat.slice(close + 2).split(' ');
    const [utime, stime, cutime, cstime] = rest.slice(11, 15).map(Number);
    table.set(Number(name), {
      ppid: Number(rest[1]),
      cpu: (utime + stime + cutime + cstime) / TICKS,
      comm
    });
  }
  return table;
}

/** The CPU seconds of `root`'s descendants (not `root` itself), split by `group(pid)`. */
function descendantsCpu(root, group) {
  const table = processTable();
  const children = new Map();
  for (const [pid, p] of table) {
    if (!children.has(p.ppid)) {
      children.set(p.ppid, []);
    }
    children.get(p.ppid).push(pid);
  }
  const totals = {};
  const walk = (pid, label) => {
    for (const child of children.get(pid) ?? []) {
      const own = label ?? group(child, table.get(child));
      totals[own] = (totals[own] ?? 0) + table.get(child).cpu;
      walk(child, own);
    }
  };
  walk(root, null);
  return totals;
}

/**
 * A meter of this bench's CPU time, split into the browser and the Jupyter server with
 * its kernels (`serverPid`); `read()` gives the totals, `since(before)` the difference.
 */
function cpuMeter(serverPid) {
  const group = pid => (pid === serverPid ? 'server' : 'browser');
  const read = () => {
    const t = descendantsCpu(process.pid, group);
    return { browser: t.browser ?? 0, server: t.server ?? 0 };
  };
  return {
    read,
    since(before) {
      const now = read();
      const browser = now.browser - before.browser;
      const server = now.server - before.server;
      return { browser, server, total: browser + server };
    }
  };
}

/**
 * Wait until the Jupyter server and its kernels are idle: no more than `limitS` CPU
 * seconds in a `windowMs` window (one clock tick is 10 ms), or `timeoutMs` has passed.
 * What a request set off (a batch forwarded, stored and logged after its reply) then
 * ends before the next measurement starts, instead of being timed in it, whatever its
 * arm. Returns how long it waited.
 */
async function waitServerIdle(
  meter,
  { windowMs = 200, limitS = 0.01, timeoutMs = 5000 } = {}
) {
  const start = Date.now();
  let before = meter.read();
  for (;;) {
    await new Promise(resolve => setTimeout(resolve, windowMs));
    const now = meter.read();
    if (now.server - before.server <= limitS || Date.now() - start > timeoutMs) {
      return Date.now() - start;
    }
    before = now;
  }
}

module.exports = { processTable, descendantsCpu, cpuMeter, waitServerIdle };
