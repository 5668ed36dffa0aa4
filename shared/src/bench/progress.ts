/**
 * Progress on stderr while a bench runs, so stdout (the table) stays clean to paste: one
 * updating line on a terminal, one plain line per step otherwise (CI logs).
 */

/** Reports steps of a run whose total length is known in advance. */
export interface Progress {
  /** Announces a step of `seconds` about to start. */
  step(label: string, seconds: number): void;
  /** Clears the line (terminal) at the end. */
  done(): void;
}

/** A progress reporter for `totalSeconds` of planned work, prefixed by `title`. */
export function createProgress(title: string, totalSeconds: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  let planned = totalSeconds;
  const started = performance.now();
  const tty = stream.isTTY === true;
  return {
    step(label, seconds) {
      const left = Math.max(0, planned);
      const text = `${title} · ${label} · ~${Math.ceil(left)} s left (${Math.round((performance.now() - started) / 1000)} s so far)`;
      if (tty) stream.write(`\r\x1b[K${text.slice(0, Math.max(20, (stream.columns ?? 120) - 1))}`);
      else stream.write(`${text}\n`);
      planned -= seconds;
    },
    done() {
      if (tty) stream.write('\r\x1b[K');
    },
  };
}
