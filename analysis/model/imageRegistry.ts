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
  /** The command-line flag that moves this listener (`listen` for `-listen=:8080`). */
  readonly flag?: string;
}

export interface ImageEntry {
  /** The repository as pulled, without registry host `docker.io`, tag or digest. */
  readonly image: string;
  readonly ports: readonly ImagePort[];
  /** Where the ports were read. */
  readonly source: string;
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
