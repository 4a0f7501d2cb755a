import { ConfigurableModuleBuilder } from '@nestjs/common';
import { join } from 'node:path';

/** What WebModule.forRoot() takes (who may watch the dashboard: AccessModule, as for the voice API). */
export interface WebModuleOptions {
  /** Where the browser bundle is (default: dist/web/assets, written by `npm run build`). */
  assetsDir?: string;
  /** How often the dashboard stream pushes a frame (default 1 s). */
  refreshIntervalMs?: number;
  /** How much chart history the stream keeps and sends to a new viewer (default 5 minutes). */
  historyMs?: number;
  /** First-byte percentiles are taken over this trailing window (default 10 s). */
  latencyWindowMs?: number;
}

/** The options with every default filled in. */
export interface WebSettings {
  assetsDir: string;
  refreshIntervalMs: number;
  historyMs: number;
  latencyWindowMs: number;
}

/**
 * The bundle lives in <root>/dist/web/assets. This file is two levels below the root both as source
 * (src/web) and compiled (dist/web), so the same relative path works under ts-node and from the build.
 */
export const DEFAULT_ASSETS_DIR = join(__dirname, '..', '..', 'dist', 'web', 'assets');

export function resolveWebSettings(options: WebModuleOptions): WebSettings {
  return {
    assetsDir: options.assetsDir ?? DEFAULT_ASSETS_DIR,
    refreshIntervalMs: options.refreshIntervalMs ?? 1_000,
    historyMs: options.historyMs ?? 5 * 60_000,
    latencyWindowMs: options.latencyWindowMs ?? 10_000,
  };
}

export const WEB_SETTINGS = Symbol('WEB_SETTINGS');

export const { ConfigurableModuleClass: WebConfigurableModule, MODULE_OPTIONS_TOKEN: WEB_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<WebModuleOptions>().setClassMethodName('forRoot').build();
