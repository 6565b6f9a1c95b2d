export function satisfies(version: string, range?: string): boolean;
export function unsupportedNodeMessage(version: string, range?: string): string | undefined;
