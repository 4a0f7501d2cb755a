import { relativeImports, sourceFiles, type ImportEdge } from '../test/support/architecture/import-graph';

/**
 * Which src/ folder may import which: the layer table of docs/architecture.md ("Layout and import rules"). A folder
 * imports its own files freely and, across folders, only what its row names; a new folder or a new arrow is a
 * deliberate change to this table. Files directly in src/ (main.ts, app.module.ts, app.setup.ts, openapi.ts) are
 * the composition root and may import any folder.
 */
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  // Leaves: nothing of warmline's.
  protocol: [], // the /voice wire vocabulary: zod schemas and types (also type-checked for the browser)
  pools: [], // the pool library
  emulator: [], // the speech emulator: stands alone
  config: [],
  lifecycle: [],
  access: [], // API keys, loopback rule, token buckets: shared by the transports
  cli: [], // the command lines' shared front: parseArgs, one usage error, exit code 2
  // The Speech SDK and where it connects.
  speech: ['protocol'],
  upstream: ['config', 'emulator', 'speech'],
  'speech-pools': ['config', 'pools', 'speech', 'upstream'],
  // Operations.
  logging: ['config', 'pools'],
  tracing: ['logging', 'pools', 'speech'],
  metrics: ['logging', 'pools', 'speech-pools'],
  fleet: ['cli', 'config', 'emulator', 'lifecycle', 'metrics', 'pools', 'protocol', 'speech-pools'], // emulator: `npm run fleet`
  health: ['fleet', 'lifecycle', 'pools', 'speech-pools', 'upstream'], // upstream: the Entra ID credential's readiness
  debug: ['config', 'speech', 'speech-pools'],
  startup: ['config', 'speech', 'upstream'],
  // Services: the synthesis service and the recognition service every transport uses (the pools, the upstream's
  // voice list, the work tracker for the shutdown drain).
  synthesis: ['lifecycle', 'metrics', 'pools', 'protocol', 'speech', 'speech-pools', 'tracing', 'upstream'],
  recognition: [
    'lifecycle',
    'metrics',
    'pools',
    'protocol',
    'speech',
    'speech-pools',
    'synthesis',
    'tracing',
  ],
  // Transports: speech clients only through the services (neither imports speech-pools).
  voice: [
    'access',
    'config',
    'fleet',
    'lifecycle',
    'logging',
    'metrics',
    'pools',
    'protocol',
    'recognition',
    'speech',
    'synthesis',
    'tracing',
  ],
  'http-api': [
    'access',
    'config',
    'lifecycle',
    'metrics',
    'pools',
    'protocol',
    'recognition',
    'speech',
    'synthesis',
    'tracing',
    'upstream',
  ],
  web: ['access', 'config', 'fleet', 'metrics', 'pools', 'speech-pools'],
  // Clients of the service: the typed /voice client (also bundled into the demo page) and its CLI; the batch CLI.
  client: ['cli', 'protocol', 'speech'],
  batch: ['cli', 'http-api'],
};

/**
 * What the browser code in web/ may import from src/: files without Node or Nest, read for their types and names,
 * and the /voice client through its public surface (web/tsconfig.json type-checks it without Node's types).
 */
const BROWSER_SAFE = [
  'src/protocol/',
  'src/client/index.ts',
  'src/pools/pool-snapshot.ts',
  'src/web/dashboard/dashboard-frame.ts',
];

const SPEC = /\.(spec|int-spec|e2e-spec)\.ts$/;

/** `src/<folder>/…` → folder; files directly in src/ → '' (the composition root). */
function srcFolder(path: string): string {
  const parts = path.split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : '';
}

const under = (path: string, dir: string): boolean => path.startsWith(`${dir}/`);
const top = (path: string): string => path.split('/')[0];

function allowed({ from, to }: ImportEdge): boolean {
  if (under(from, 'src')) {
    const folder = srcFolder(from);
    if (folder === 'emulator') {
      // The emulator and its tests stand alone: its specs use the SDK directly or emulator-only support.
      return under(to, 'src/emulator') || (SPEC.test(from) && under(to, 'test/support/emulator'));
    }
    // Specs may also use the shared test support, and the emulator as the upstream of real-SDK tests.
    if (SPEC.test(from) && (under(to, 'test/support') || under(to, 'src/emulator'))) return true;
    if (!under(to, 'src')) return false; // production code never imports tests, benchmarks or web/
    const target = srcFolder(to);
    return folder === '' || target === folder || (LAYERS[folder] ?? []).includes(target);
  }
  if (under(from, 'test/support/emulator'))
    return under(to, 'src/emulator') || under(to, 'test/support/emulator');
  if (under(from, 'test/support')) return under(to, 'src') || under(to, 'test/support');
  if (under(from, 'test')) return ['src', 'test'].includes(top(to)) || under(to, 'bench/support');
  if (under(from, 'bench')) return ['src', 'bench'].includes(top(to));
  if (under(from, 'web')) return under(to, 'web') || BROWSER_SAFE.some((safe) => to.startsWith(safe));
  return top(to) === top(from);
}

function describeViolation({ from, specifier, to }: ImportEdge): string {
  const folder = srcFolder(from);
  const row =
    folder === '' ? '' : ` (${folder} may import: ${(LAYERS[folder] ?? []).join(', ') || 'nothing'})`;
  return `${from} imports '${specifier}' (${to})${row}`;
}

describe('import rules (docs/architecture.md, "Layout and import rules")', () => {
  const edges = relativeImports(['src', 'test', 'bench', 'web', 'scripts'].flatMap(sourceFiles));

  it('finds the imports it checks', () => {
    expect(edges.length).toBeGreaterThan(1_000);
  });

  it('every import runs the way the layer table allows', () => {
    expect(edges.filter((edge) => !allowed(edge)).map(describeViolation)).toEqual([]);
  });

  it('places every src/ folder in the table', () => {
    const folders = new Set(
      sourceFiles('src')
        .map(srcFolder)
        .filter((f) => f !== ''),
    );
    expect([...folders].filter((f) => !(f in LAYERS))).toEqual([]);
    expect(Object.keys(LAYERS).filter((f) => !folders.has(f))).toEqual([]);
  });

  it('has no cycle: the folders can be ordered so that every arrow points down', () => {
    const order: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (folder: string, path: string[]): void => {
      if (state.get(folder) === 'done') return;
      if (state.get(folder) === 'visiting') throw new Error(`cycle: ${[...path, folder].join(' → ')}`);
      state.set(folder, 'visiting');
      for (const dependency of LAYERS[folder] ?? []) visit(dependency, [...path, folder]);
      state.set(folder, 'done');
      order.push(folder);
    };
    for (const folder of Object.keys(LAYERS)) visit(folder, []);
    expect(order).toHaveLength(Object.keys(LAYERS).length);
  });
});
