import { readFile } from 'node:fs/promises';
import { type ConsoleAsset, type ConsoleAssets, contentTypeOf } from '../../console/console-assets.js';

/** The console's files in a folder (beside the api function's bundle on AWS), read once each. */
export class FileConsoleAssets implements ConsoleAssets {
  private readonly cache = new Map<string, Promise<ConsoleAsset | undefined>>();

  constructor(private readonly folder: URL) {}

  get(name: string): Promise<ConsoleAsset | undefined> {
    const contentType = contentTypeOf(name);
    if (!contentType || !/^[\w.-]+$/.test(name)) return Promise.resolve(undefined);
    let asset = this.cache.get(name);
    if (!asset) {
      asset = readFile(new URL(name, this.folder), 'utf8').then(
        (body) => ({ body, contentType }),
        () => undefined,
      );
      this.cache.set(name, asset);
    }
    return asset;
  }
}
