// A loopback registry holding a busybox image made from the host's busybox-static: for the
// demo and for trying berth by hand. Prints `<addr>/berth-test/busybox:latest` on stdout once
// ready, then serves until it gets SIGINT/SIGTERM (or exits at once with --check).
import { buildTestImages, IMAGE_NAMES } from '../test/harness/images.js';
import { pushImage } from '../test/harness/pusher.js';
import { startRegistry } from '../test/harness/registry.js';

const reg = await startRegistry();
const built = await buildTestImages();
const { repository, tag } = IMAGE_NAMES.busybox;
await pushImage({ addr: reg.addr }, repository, tag, built.busybox);
process.stdout.write(`${reg.addr}/${repository}:${tag}\n`);
const stop = async () => {
  await reg.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
if (process.argv.includes('--check')) await stop();
setInterval(() => undefined, 1 << 30);
