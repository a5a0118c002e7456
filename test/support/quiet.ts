/**
 * A line a green run must never print: a JSON log line at error or fatal
 * (pino's labels; kafkajs's own JSON logger says ERROR), or Nest's console
 * logger at ERROR. `.ci/run` greps the whole `npm test` output for the same.
 */
export const ERROR_LINE = /"level":"(error|fatal|ERROR)"| ERROR \[/;
