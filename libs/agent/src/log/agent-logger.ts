import type { LogFormat, LogLevel } from '../config/agent-config';

const ORDER: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };
const LABEL: Record<LogLevel, string> = { trace: '[TRACE]', debug: '[DEBUG]', info: '[INFO] ', warn: '[WARN] ', error: '[ERROR]' };

export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * Vault Agent's log lines (hclog): `standard` is `<time> [INFO]  module: message: k=v`, `json`
 * is one object per line with `@level`, `@message`, `@module`, `@timestamp`. Callers pass
 * only non-secret fields (paths, statuses, durations): no token or secret value is ever logged.
 */
export class AgentLogger {
  constructor(
    private readonly level: LogLevel,
    private readonly format: LogFormat,
    private readonly module = 'agent',
    private readonly out: (line: string) => void = (line) => process.stderr.write(line),
  ) {}

  named(module: string): AgentLogger {
    return new AgentLogger(this.level, this.format, `${this.module}.${module}`, this.out);
  }

  trace(message: string, fields?: LogFields): void {
    this.log('trace', message, fields);
  }
  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }

  private log(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const time = new Date().toISOString();
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    if (this.format === 'json') {
      this.out(JSON.stringify({ '@level': level, '@message': message, '@module': this.module, '@timestamp': time, ...Object.fromEntries(entries) }) + '\n');
      return;
    }
    const tail = entries.map(([k, v]) => ` ${k}=${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : String(v)}`).join('');
    this.out(`${time} ${LABEL[level]} ${this.module}: ${message}${tail ? ':' + tail : ''}\n`);
  }
}
