/**
 * Well-known container images and the ports their process listens on by default, each entry citing
 * the image's source (docs/images.md). Data only, read by podTemplate.ts: a pod running one of these
 * images listens on those ports whether or not its manifest declares them (containerPort is
 * informational in Kubernetes), unless the container moves the listener with the variable or flag
 * the entry names (then the value it sets is what counts, `configuredPorts`).
 *
 * Add an image only with a source that states the port (its README or the code that opens the
 * listener); the port checks treat an entry as proof that the pods listen there.
 */

export interface ImagePort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  /** What listens there, for docs. */
  readonly what: string;
  /** The environment variable that moves this listener (its default no longer applies when set). */
  readonly env?: string;
  /** The command-line flags that move this listener (`listen` for `-listen=:8080`). */
  readonly flag?: string | readonly string[];
}

export interface ImageEntry {
  /** The repository as pulled, without registry host `docker.io`, tag or digest. */
  readonly image: string;
  readonly ports: readonly ImagePort[];
  /** Where the ports were read. */
  readonly source: string;
  /**
   * Flags naming a configuration file, or a mode, that may move every listener (`--config`): with
   * one set, the image's listeners are not known.
   */
  readonly unknownFlags?: readonly string[];
  /** An argument that names a configuration file read positionally (`redis-server /etc/redis.conf`): the same. */
  readonly unknownArg?: RegExp;
}

export const IMAGE_REGISTRY: readonly ImageEntry[] = [
  {
    image: 'kong/go-echo',
    ports: [
      { port: 1025, protocol: 'TCP', what: 'TCP echo', env: 'TCP_PORT' },
      { port: 1026, protocol: 'UDP', what: 'UDP echo', env: 'UDP_PORT' },
      { port: 1027, protocol: 'TCP', what: 'HTTP echo', env: 'HTTP_PORT' },
    ],
    source: 'https://github.com/Kong/go-echo (README.md "Quick Start Guide"; tcp-echo.go reads TCP_PORT, UDP_PORT, HTTP_PORT)',
  },
  {
    image: 'hashicorp/http-echo',
    ports: [{ port: 5678, protocol: 'TCP', what: 'HTTP echo', flag: 'listen' }],
    source: 'https://github.com/hashicorp/http-echo (main.go: flag "listen", default ":5678")',
  },
  {
    image: 'mongo',
    // --shardsvr and --configsvr move the default to 27018 and 27019 (without --port).
    ports: [{ port: 27017, protocol: 'TCP', what: 'mongod', flag: ['port', 'shardsvr', 'configsvr'] }],
    unknownFlags: ['config', 'f'],
    source:
      'https://www.mongodb.com/docs/manual/reference/default-mongodb-port/ (27017, moved by --port; 27018 with --shardsvr, 27019 with --configsvr); docker-library/mongo Dockerfile (EXPOSE 27017)',
  },
  {
    image: 'postgres',
    ports: [{ port: 5432, protocol: 'TCP', what: 'PostgreSQL', env: 'PGPORT', flag: 'p' }],
    // `-c port=5433` (any run-time setting) and `-c config_file=…`.
    unknownFlags: ['c'],
    source:
      'https://www.postgresql.org/docs/current/app-postgres.html (-p port, default PGPORT or 5432; -c name=value); docker-library/postgres Dockerfile (EXPOSE 5432)',
  },
  {
    image: 'redis',
    ports: [{ port: 6379, protocol: 'TCP', what: 'redis-server', flag: 'port' }],
    // A Sentinel listens on 26379; a configuration file may set `port`.
    unknownFlags: ['sentinel'],
    unknownArg: /\.conf$/,
    source:
      'https://redis.io/docs/latest/operate/oss_and_stack/management/config/ (redis-server [config file] [--option value], port 6379 by default); docker-library/redis Dockerfile (EXPOSE 6379)',
  },
];

const BY_IMAGE: ReadonlyMap<string, ImageEntry> = new Map(IMAGE_REGISTRY.map((e) => [e.image, e]));

/**
 * The repository part of an image reference: `docker.io/kong/go-echo:0.5.0@sha256:…` → `kong/go-echo`
 * (Docker Hub's host and `library/` prefix dropped, tag and digest cut).
 */
export function imageRepository(ref: string): string {
  let s = ref.trim();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash) s = s.slice(0, colon);
  s = s.replace(/^(?:(?:index\.)?docker\.io|registry-1\.docker\.io)\//, '');
  s = s.replace(/^library\//, '');
  return s.toLowerCase();
}

/** The registry's entry for an image reference, if any. */
export function imageEntry(ref: string): ImageEntry | undefined {
  return BY_IMAGE.get(imageRepository(ref));
}
