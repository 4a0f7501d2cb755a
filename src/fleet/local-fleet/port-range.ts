import { createServer } from 'node:net';

/** Why `port` cannot be listened on (every interface, as a replica listens), or null when it is free. */
function portProblem(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'EADDRINUSE' ? `port ${port} is in use` : `port ${port}: ${error.message}`),
    );
    probe.listen(port, () => probe.close(() => resolve(null)));
  });
}

/** One line per port of `basePort`..`basePort + count - 1` that a replica could not listen on. */
export async function portRangeProblems(basePort: number, count: number): Promise<string[]> {
  const problems: string[] = [];
  for (let port = basePort; port < basePort + count; port++) {
    const problem = await portProblem(port);
    if (problem !== null) problems.push(problem);
  }
  return problems;
}
