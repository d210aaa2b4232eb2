/** What a pull reports as it goes; the CLI renders it (bars on a terminal, lines otherwise). */
export interface PullProgress {
  trying(name: string): void;
  layerStart(digest: string, size: number): void;
  layerBytes(digest: string, received: number): void;
  layerDone(digest: string, how: 'done' | 'exists'): void;
  configDone(digest: string): void;
  writingManifest(): void;
  close(): void;
}
