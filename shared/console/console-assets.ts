/** The console's files (console/): its page, script chunks and styles. */
export interface ConsoleAsset {
  body: string;
  contentType: string;
}

export interface ConsoleAssets {
  /** `index.html` for the page itself; undefined for a name the console does not have. */
  get(name: string): Promise<ConsoleAsset | undefined>;
}

export const CONSOLE_CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export function contentTypeOf(name: string): string | undefined {
  const extension = name.slice(name.lastIndexOf('.'));
  return CONSOLE_CONTENT_TYPES[extension];
}
