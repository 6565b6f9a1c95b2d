import { problems } from '../../../shared/problem.js';
import type { Operation } from './index.js';

/** The page needs no key; every call it makes carries the key the person enters. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export const getConsole: Operation<'getConsole'> = async (_request, { consoleAssets }) => {
  const page = await consoleAssets.get('index.html');
  if (!page) throw problems.notFound('The console');
  return {
    statusCode: 200,
    headers: { ...SECURITY_HEADERS, 'content-type': page.contentType, 'cache-control': 'no-cache' },
    body: page.body,
  };
};

export const getConsoleAsset: Operation<'getConsoleAsset'> = async ({ params }, { consoleAssets }) => {
  const name = params.asset as string;
  const asset = /^[\w.-]+$/.test(name) && name !== 'index.html' ? await consoleAssets.get(name) : undefined;
  if (!asset) throw problems.notFound(`The console file ${name}`);
  return {
    statusCode: 200,
    headers: { ...SECURITY_HEADERS, 'content-type': asset.contentType, 'cache-control': 'no-cache' },
    body: asset.body,
  };
};
