/**
 * A new user's project: the library packed as `npm pack` packs it (which builds it through `prepare`),
 * installed from the tarball into a throw-away folder outside the repository, offline, without the
 * optional `webgpu` package, with a private npm cache.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../..');
export const fixtures = join(import.meta.dirname, 'fixtures');

export interface Consumer {
  /** The throw-away project (fixtures copied in, the tarball installed). */
  dir: string;
  /** The packed tarball. */
  tarball: string;
  /** Paths inside the tarball (`package/...`). */
  files: string[];
}

function npm(args: string[], cwd: string, cache: string): string {
  return execFileSync('npm', [...args, '--cache', cache, '--no-audit', '--no-fund', '--loglevel', 'error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Pack the repository and install the tarball into a new project. */
export function packAndInstall(): Consumer {
  const base = mkdtempSync(join(tmpdir(), 'webgpu-keras-consumer-'));
  const cache = join(base, 'npm-cache');
  npm(['pack', '--pack-destination', base], root, cache);
  const tarball = join(base, readdirSync(base).find((f) => f.endsWith('.tgz'))!);
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
  const dir = join(base, 'app');
  cpSync(fixtures, dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  npm(['install', tarball, '--offline', '--omit=optional'], dir, cache);
  return { dir, tarball, files };
}

/** Environment of a newcomer's shell: no Dawn set-up of the test runner's. */
export function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.LD_LIBRARY_PATH;
  delete env.VK_ICD_FILENAMES;
  delete env.VK_DRIVER_FILES;
  return env;
}

/** Run a Node script; resolves to its status and everything it printed. */
export function runNode(args: string[], cwd: string, env = plainEnv()): { status: number | null; out: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: r.stdout + r.stderr, stderr: r.stderr };
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/**
 * Type-check `files` of the project under one module resolution with `strict`, without
 * `skipLibCheck`, without the DOM library and without any `@types` package. Resolves to tsc's errors
 * as `file(line,col): error TSxxxx: …` lines.
 */
export function typeCheck(dir: string, resolution: 'bundler' | 'node16' | 'nodenext', files: string[]): { status: number | null; errors: string[] } {
  const config = join(dir, `tsconfig.${resolution}.json`);
  const module = resolution === 'bundler' ? 'preserve' : resolution;
  const compilerOptions = { strict: true, noEmit: true, target: 'es2022', lib: ['es2022'], types: [], module, moduleResolution: resolution, skipLibCheck: false };
  writeFileSync(config, JSON.stringify({ compilerOptions, files }));
  const r = spawnSync(process.execPath, [tsc, '-p', config, '--pretty', 'false'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, errors: (r.stdout + r.stderr).split('\n').filter((l) => / error TS\d+/.test(l)) };
}
