import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ChurchError } from '../../../shared/errors';
import { packageRoot } from '../../main/host/appInfo';
import { publishInstance } from '../../main/host/instance';
import { startBrowserServer } from '../../main/host/transports/browserServer';
import type { CliCommand } from '../command';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run the studio in a browser: the UI and the contract on 127.0.0.1 only',
  usage: 'church serve [--port N] [--json]',
  options: { port: { type: 'string' } },
  engines: true,
  async run(ctx, args) {
    const uiDir = ctx.env.CHURCH_UI_DIR ?? join(packageRoot(), 'out', 'renderer');
    if (!existsSync(join(uiDir, 'index.html'))) {
      throw new ChurchError('UNAVAILABLE', `the UI is not built (no ${join(uiDir, 'index.html')}); run "npm run build" first`);
    }
    const port = args.values.port === undefined ? 0 : Number(args.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ChurchError('INVALID_INPUT', `--port must be 0-65535, got ${String(args.values.port)}`);
    const host = ctx.host();
    const server = await startBrowserServer({ host, uiDir, port });
    const unpublish = publishInstance(ctx.dataDir, { port: server.port, token: server.attachKey, kind: 'serve' });
    ctx.print({ url: server.url, port: server.port, dataDir: ctx.dataDir, startCheck: host.startCheck }, () => `BambiSleep Church Studio is serving at\n  ${server.url}\n(loopback only; press Ctrl+C to stop)`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    unpublish();
    await server.close();
    return 0;
  },
};
