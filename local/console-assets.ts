import { buildConsole } from '../console/build.js';
import type { ConsoleAsset, ConsoleAssets } from '../shared/console/console-assets.js';

/** The console built from its sources on the first request (esbuild, in memory). */
export class BuiltConsoleAssets implements ConsoleAssets {
  private built: Promise<Map<string, ConsoleAsset>> | undefined;

  async get(name: string): Promise<ConsoleAsset | undefined> {
    this.built ??= buildConsole();
    return (await this.built).get(name);
  }
}
