#!/usr/bin/env node
// TCP throughput host -> container through a published port: berth vs rootless Podman.
// See README.md. Alternates the engines in every round; prints MB/s medians and ratios.
import { connect, createServer } from 'node:net';
import { benchSetup, median } from '../lib/engines.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const MB = Number(process.env.MB ?? 256);
const bench = benchSetup('/var/tmp/bn-');
const run = (tool, args) => bench.run(tool, args).stdout;
// Each variant: which tool, and the network flags it runs the receiver with.
const variants = {
  berth: { tool: 'berth', net: [] },
  podman: { tool: 'podman', net: [] },
  'podman slirp4netns-fwd': { tool: 'podman', net: ['--network', 'slirp4netns:port_handler=slirp4netns'] },
};

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * The receiver restarts nc after each connection; a connection that arrives in between is reset
 * by the forwarder. Pause first, and retry such a reset (never counted).
 */
async function transfer(port, mb) {
  for (let i = 0; ; i++) {
    await new Promise((r) => setTimeout(r, 200));
    try {
      return await send(port, mb);
    } catch (e) {
      if (i >= 4) throw e;
    }
  }
}

/** Sends `mb` MiB to 127.0.0.1:port; resolves MB/s once the receiver has read it all and closed. */
function send(port, mb) {
  const chunk = Buffer.alloc(1 << 20, 120);
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const s = connect({ host: '127.0.0.1', port });
    let sent = 0;
    let failed;
    const pump = () => {
      while (sent < mb) {
        sent++;
        if (!s.write(chunk)) return void s.once('drain', pump);
      }
      s.end();
    };
    s.on('connect', pump);
    s.on('data', () => {});
    s.on('error', (e) => {
      failed = e;
    });
    s.on('close', () => {
      const sec = Number(process.hrtime.bigint() - t0) / 1e9;
      if (failed || sent < mb) reject(failed ?? new Error('closed early'));
      else resolve(mb / sec);
    });
  });
}

// The receiver: one `cat > /dev/null` per connection, behind busybox nc, forever.
const receiver = [
  'sh',
  '-c',
  'printf "#!/bin/sh\\nexec cat >/dev/null\\n" >/sink; chmod +x /sink; while :; do nc -l -p 5000 -e /sink; done',
];

const image = await bench.startRegistry();
const results = Object.fromEntries(Object.keys(variants).map((v) => [v, []]));
const names = [];

try {
  run('berth', ['pull', '-q', image]);
  run('podman', ['pull', '-q', '--tls-verify=false', image]);
  const ports = {};
  for (const [v, { tool, net }] of Object.entries(variants)) {
    const port = await freePort();
    const name = `bench-net-${v.replace(/\W+/g, '-')}`;
    run(tool, ['run', '-d', '--name', name, ...net, '-p', `127.0.0.1:${port}:5000`, image, ...receiver]);
    names.push([tool, name]);
    ports[v] = port;
    // Warm up (and wait for the listener): a small transfer that must go through.
    for (let i = 0; ; i++) {
      try {
        await send(port, 1);
        break;
      } catch (e) {
        if (i > 50) throw new Error(`${v}: receiver never answered: ${e.message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await transfer(port, 32).catch((e) => {
      throw new Error(`${v}: warm-up transfer failed: ${e.message}`);
    });
    console.log(`${v}: ready on 127.0.0.1:${port}`);
  }
  const order = Object.keys(variants);
  for (let i = 0; i < ROUNDS; i++) {
    const o = i % 2 ? [...order].reverse() : order;
    for (const v of o) {
      results[v].push(
        await transfer(ports[v], MB).catch((e) => {
          throw new Error(`${v}: transfer failed: ${e.message}`);
        }),
      );
    }
    console.log(`round ${i + 1}: ${o.map((v) => `${v} ${results[v].at(-1).toFixed(0)}`).join(', ')} MB/s`);
  }
  const b = median(results.berth);
  console.log(
    `\nTCP host -> container through a published port, ${MB} MiB per transfer, ${ROUNDS} rounds; medians`,
  );
  for (const v of order) {
    const m = median(results[v]);
    console.log(`${v.padEnd(24)}${m.toFixed(0).padStart(8)} MB/s   berth/this ${(b / m).toFixed(2)}`);
  }
} finally {
  for (const [tool, name] of names) {
    try {
      run(tool, ['rm', '-f', name]);
    } catch {}
  }
  bench.cleanup();
}
