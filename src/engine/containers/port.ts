import { formatPortLines, parsePortKey } from '../../network/ports.js';
import { BerthError } from '../../util/errors.js';
import { type Container, type ContainerEngine, reconcile } from './common.js';
import { publishedPorts } from './network.js';

/**
 * `port CONTAINER [PRIVATE_PORT[/PROTO]]`: Docker's lines, `80/tcp -> 0.0.0.0:8080`, or with a
 * port only the host addresses. A port that is not published is an error, as in Docker.
 */
export async function containerPortLines(
  e: ContainerEngine,
  rec: Container,
  privatePort?: string,
): Promise<string[]> {
  const [fresh] = await reconcile(e, [rec]);
  const ports = fresh ? publishedPorts(fresh) : [];
  if (privatePort === undefined) return formatPortLines(ports);
  const want = parsePortKey(privatePort);
  const lines = formatPortLines(ports, want);
  if (!lines.length) {
    throw new BerthError(`No public port '${want.port}/${want.protocol}' published for ${rec.name}`, {
      exitCode: 1,
      code: 'not-found',
    });
  }
  return lines;
}
