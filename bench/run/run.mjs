#!/usr/bin/env node
// berth vs rootless Podman: run --rm, run -d + stop + rm, exec, ps with 50 containers,
// monitor RSS. See README.md. Alternates the two engines in every round; prints medians.
import { readdirSync, readFileSync } from 'node:fs';
import { benchSetup, median } from '../lib/engines.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const { uid, run, startRegistry, cleanup } = benchSetup('/var/tmp/br-');
const image = await startRegistry();
const results = {};
const record = (name, engine, ms) => (results[name] ??= { berth: [], podman: [] })[engine].push(ms);

try {
  run('berth', ['pull', '-q', image]);
  run('podman', ['pull', '-q', '--tls-verify=false', image]);
  for (const e of ['berth', 'podman']) run(e, ['run', '--rm', image, 'true']); // warm caches

  for (let i = 0; i < ROUNDS; i++) {
    for (const e of i % 2 ? ['podman', 'berth'] : ['berth', 'podman']) {
      record('run --rm true', e, run(e, ['run', '--rm', image, 'true']).ms);
      const name = `bench-${e}-${i}`;
      const d = run(e, ['run', '-d', '--name', name, image, 'sleep', '1000']);
      const x = run(e, ['exec', name, 'true']);
      const s = run(e, ['stop', '-t', '0', name]);
      const r = run(e, ['rm', name]);
      record('run -d + stop + rm', e, d.ms + s.ms + r.ms);
      record('exec true', e, x.ms);
    }
  }

  // ps with 50 containers, and monitor memory.
  for (const e of ['berth', 'podman']) {
    for (let i = 0; i < 50; i++) run(e, ['run', '-d', '--name', `many-${e}-${i}`, image, 'sleep', '1000']);
  }
  for (let i = 0; i < ROUNDS; i++) {
    for (const e of i % 2 ? ['podman', 'berth'] : ['berth', 'podman'])
      record('ps (50 containers)', e, run(e, ['ps']).ms);
  }
  const rss = (comm) => {
    const kb = [];
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== comm) continue;
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        if (!status.includes(`\nUid:\t${uid}\t`)) continue;
        kb.push(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {}
    }
    return kb;
  };
  const monitorRss = { berth: rss('berth-monitor'), podman: rss('conmon') };
  const trace = run('berth', ['run', '--rm', image, 'true'], { envExtra: { BERTH_TRACE: '1' } });
  for (const e of ['berth', 'podman']) {
    const ids = run(e, ['ps', '-aq']).stdout.split('\n').filter(Boolean);
    for (let i = 0; i < ids.length; i += 25) run(e, ['rm', '-f', ...ids.slice(i, i + 25)]);
  }

  console.log(`\nberth vs rootless Podman (runc), ${ROUNDS} rounds, alternating; medians in ms\n`);
  console.log(
    `${'operation'.padEnd(24)}${'berth'.padStart(10)}${'podman'.padStart(10)}${'ratio'.padStart(9)}`,
  );
  for (const [name, r] of Object.entries(results)) {
    const b = median(r.berth);
    const p = median(r.podman);
    console.log(
      `${name.padEnd(24)}${b.toFixed(1).padStart(10)}${p.toFixed(1).padStart(10)}${(b / p).toFixed(2).padStart(9)}`,
    );
  }
  const m = (xs) => (xs.length ? median(xs) : NaN);
  console.log(
    `${'monitor RSS (kB)'.padEnd(24)}${m(monitorRss.berth).toFixed(0).padStart(10)}${m(monitorRss.podman).toFixed(0).padStart(10)}${(m(monitorRss.berth) / m(monitorRss.podman)).toFixed(2).padStart(9)}`,
  );
  console.log(
    `  (${monitorRss.berth.length} berth-monitor and ${monitorRss.podman.length} conmon processes measured)`,
  );
  console.log('\nwhere berth run --rm spends its time (BERTH_TRACE, ms since process start):');
  console.log(
    trace.stderr
      .split('\n')
      .filter((l) => l.startsWith('TRACE'))
      .map((l) => `  ${l.slice(6)}`)
      .join('\n'),
  );
} finally {
  cleanup();
}
