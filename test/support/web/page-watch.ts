import type { BrowserContext, Page } from 'playwright-core';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function isLoopbackUrl(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
    return LOOPBACK_HOSTS.has(hostname);
  } catch {
    return false;
  }
}

/**
 * What the pages did that they must not: console errors, uncaught exceptions, and any request (HTTP or
 * websocket) to somewhere other than this machine — those are also blocked, so a stray CDN reference fails
 * loudly instead of quietly working on a developer's laptop.
 */
export class PageWatch {
  readonly consoleErrors: string[] = [];
  readonly offLoopback: string[] = [];

  static async on(context: BrowserContext): Promise<PageWatch> {
    const watch = new PageWatch();
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLoopbackUrl(url)) return route.continue();
      watch.offLoopback.push(url);
      return route.abort('blockedbyclient');
    });
    context.on('request', (request) => {
      if (!isLoopbackUrl(request.url())) watch.offLoopback.push(request.url());
    });
    return watch;
  }

  /** Follows a page's console and websockets (call for every page the test opens). */
  page(page: Page): Page {
    page.on('console', (message) => {
      // The location is the failing resource for network errors, else the script that logged.
      if (message.type() === 'error') this.consoleErrors.push(`${message.location().url}: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.consoleErrors.push(`${page.url()}: uncaught ${error.message}`));
    page.on('websocket', (ws) => {
      if (!isLoopbackUrl(ws.url())) this.offLoopback.push(ws.url());
    });
    return page;
  }
}
