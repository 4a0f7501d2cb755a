/**
 * What never reaches a log line. Header names are lower-case (Node normalises them); `Ocp-Apim-Subscription-Key`
 * is Azure Speech's key header, and is also listed as a field name in case an SDK options object gets logged.
 * pino's `*` matches one level, hence the explicit depths.
 */
const SECRET_FIELDS = ['key', 'token', 'authorization', 'password', 'Ocp-Apim-Subscription-Key'];

/** `.name` for identifiers, `["name"]` otherwise (pino's path syntax). */
const access = (field: string): string => (/^\w+$/.test(field) ? `.${field}` : `["${field}"]`);

export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["ocp-apim-subscription-key"]',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap((field) => [
    access(field).replace(/^\./, ''),
    `*${access(field)}`,
    `*.*${access(field)}`,
  ]),
  'req.query["subscription-key"]',
  'req.query.access_token',
  'req.query.api_key',
];

export const REDACTED = '[REDACTED]';

/** Query parameters whose values are replaced in logged URLs (clients sometimes put credentials there). */
const SECRET_QUERY_PARAMS = /^(key|token|access_token|api_key|apikey|subscription-key|authorization)$/i;

/** The URL with secret query parameter values replaced; anything unparsable is returned without its query. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const path = url.slice(0, queryStart);
  try {
    const params = new URLSearchParams(url.slice(queryStart + 1));
    let changed = false;
    for (const name of new Set(params.keys())) {
      if (!SECRET_QUERY_PARAMS.test(name)) continue;
      params.set(name, REDACTED);
      changed = true;
    }
    return changed ? `${path}?${params.toString()}` : url;
  } catch {
    return path;
  }
}
