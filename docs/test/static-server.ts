// A tiny static file server for the built site, bound to 127.0.0.1 on a free port. It resolves
// URLs the way VitePress's own preview server does (`/guide/x` → `guide/x.html`, `/api/` →
// `api/index.html`), so the browser tests see what a deployed copy would serve.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file a site URL path is served from, or undefined when there is none. */
export function fileForUrlPath(root: string, urlPath: string): string | undefined {
  const decoded = decodeURIComponent(urlPath.split(/[?#]/)[0]!);
  const base = path.join(root, path.normalize(decoded).replace(/^(\.\.[/\\])+/, ''));
  if (!base.startsWith(root)) return undefined;
  const candidates = decoded.endsWith('/') ? [path.join(base, 'index.html')] : [base, `${base}.html`, path.join(base, 'index.html')];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `root` on 127.0.0.1 until `close()` is called. */
export async function serveStatic(root: string): Promise<RunningServer> {
  const server: Server = createServer((request, response) => {
    const file = fileForUrlPath(root, request.url ?? '/');
    if (file === undefined) {
      response.writeHead(404, { 'content-type': contentTypes['.html']! });
      createReadStream(path.join(root, '404.html')).pipe(response);
      return;
    }
    response.writeHead(200, { 'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
