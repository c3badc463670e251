import { readFileSync } from 'node:fs';

/** NODE_MODULE_VERSION → Node's major version (nodejs.org's ABI table); any other number is an Electron build. */
const NODE_BY_ABI: Record<number, number> = { 93: 16, 102: 17, 108: 18, 111: 19, 115: 20, 120: 21, 127: 22, 131: 23, 137: 24, 141: 25, 147: 26, 153: 27 };
const MIN_NODE = [22, 12] as const;

/** The module version a native addon was built for, from its registration symbol (node_register_module_v127). */
function abiOfAddon(file: string): number | null {
  try {
    const m = /node_register_module_v(\d+)/.exec(readFileSync(file).toString('latin1'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function nodeIsSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

/**
 * better-sqlite3 is a native module built for one Node (or, after `npm start`, for Electron). Loaded by another,
 * Node says "The module '…' was compiled against a different Node.js version using NODE_MODULE_VERSION 127. …"
 * over several lines (the first says nothing useful), or, on a second load in the same process, only "Module did not
 * self-register". This turns either into one line: which runtime it was built for, and the one command that fixes it.
 */
export function explainNativeModuleMismatch(e: unknown, nodeVersion = process.version, nodeAbi = Number(process.versions.modules)): string | null {
  const message = e instanceof Error ? e.message : String(e);
  const addon = /'([^']+\.node)'/.exec(message)?.[1];
  const mismatch = /NODE_MODULE_VERSION/.test(message) || /did not self-register/.test(message);
  if (!mismatch || !addon) return null;
  const built = Number(/NODE_MODULE_VERSION (\d+)/.exec(message)?.[1] ?? NaN) || abiOfAddon(addon);
  const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(addon)?.[1] ?? addon;
  const here = `this Node ${nodeVersion} (module version ${nodeAbi})`;
  if (built === null) return `${name} in node_modules was built for another Node than ${here}; rebuild it for this one with "npm rebuild ${name}"`;
  const builtFor = NODE_BY_ABI[built];
  if (builtFor === undefined) {
    return `${name} in node_modules is Electron's build (module version ${built}, as "npm start" or "npm run package" leave it), not one for ${here}; put the Node build back with "npm run rebuild:node"`;
  }
  const supported = nodeIsSupported(nodeVersion) ? '' : `; the studio asks for Node ${MIN_NODE.join('.')} or newer`;
  return `${name} in node_modules was built for Node ${builtFor} (module version ${built}), not for ${here}: run church with Node ${builtFor}, or rebuild it for this Node with "npm rebuild ${name}"${supported}`;
}
