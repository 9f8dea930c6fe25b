/**
 * The one ending of a recording runner (test/lab/*-runner.ts: bundled by its lab test, run as its own process inside
 * a namespace): `main` returns the runner's one JSON document, printed on stdout as one line, then exit 0; when it
 * fails, `<label>: <stack>` on stderr and exit `failCode`. Environment: plain Node (vitest).
 */
export interface RunMainOptions {
  /** What stderr's failure line starts with. */
  label?: string;
  /** The exit code when `main` fails (pick one the runner's own output never uses). */
  failCode?: number;
}

export function runMain(main: () => Promise<object>, opts: RunMainOptions = {}): void {
  main()
    .then((doc) => void process.stdout.write(JSON.stringify(doc) + '\n'))
    .then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`${opts.label ?? 'runner failed'}: ${(err as Error).stack ?? String(err)}\n`);
        process.exit(opts.failCode ?? 1);
      },
    );
}
