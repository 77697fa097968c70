import * as k from './annotation-keys';
import type { AnnotationReader } from './annotation-reader';
import type { SecretSpec } from './agent-spec';
import { unsafeMountPath, unsafeRelativePath, unsafeSecretName } from './volume-paths';

// A key names a secret through one of these; template-file is tried before template because
// `agent-inject-template-file-x` also starts with `agent-inject-template-`.
const NAMING_PREFIXES = [k.AGENT_INJECT_SECRET, k.AGENT_INJECT_TEMPLATE_FILE, k.AGENT_INJECT_TEMPLATE].map((p) => `${p}-`);
/** What the three naming prefixes share: keys without it are skipped at once. */
const SECRET_FAMILY = `${k.AGENT_INJECT}-`;

/**
 * The secrets the pod asks for, from the `-NAME` families, in a stable order (by raw NAME).
 * vault-k8s walks a Go map here, so its order varies from run to run; ours does not.
 */
export function readSecrets(reader: AnnotationReader): SecretSpec[] {
  const annotations = reader.annotations;
  const rawNames = new Set<string>();
  // for-in, not Object.entries: this runs on every admission over some 50 keys (with the
  // defaults), and entries() allocates a pair per key for the few that name a secret.
  for (const key in annotations) {
    if (!key.startsWith(SECRET_FAMILY)) continue;
    for (const prefix of NAMING_PREFIXES) {
      if (key.startsWith(prefix)) {
        const raw = key.slice(prefix.length);
        if (raw !== '' && annotations[key]!.trim() !== '') rawNames.add(raw);
        break;
      }
    }
  }
  const globalMount = reader.string(k.SECRET_VOLUME_PATH);
  const secrets: SecretSpec[] = [];
  const destinations = new Map<string, string>();
  for (const rawName of [...rawNames].sort()) {
    const of = (prefix: string) => `${prefix}-${rawName}`;
    const value = (prefix: string, fallback = '') => annotations[of(prefix)] ?? fallback;
    const name = preserveCase(reader, rawName) ? rawName : rawName.toLowerCase();
    const namingKey = [k.AGENT_INJECT_SECRET, k.AGENT_INJECT_TEMPLATE_FILE, k.AGENT_INJECT_TEMPLATE].map(of).find((key) => key in annotations)!;
    const nameProblem = unsafeSecretName(name);
    if (nameProblem) reader.problem(namingKey, undefined, `secret NAME ${JSON.stringify(name)} ${nameProblem}`);
    const template = value(k.AGENT_INJECT_TEMPLATE);
    const secret: SecretSpec = {
      name,
      rawName,
      path: value(k.AGENT_INJECT_SECRET),
      template,
      templateFile: template === '' ? value(k.AGENT_INJECT_TEMPLATE_FILE) : '',
      mountPath: value(k.SECRET_VOLUME_PATH, globalMount),
      command: value(k.AGENT_INJECT_COMMAND),
      leftDelimiter: value(k.AGENT_TEMPLATE_LEFT_DELIM),
      rightDelimiter: value(k.AGENT_TEMPLATE_RIGHT_DELIM),
      filePathAndName: value(k.AGENT_INJECT_FILE),
      filePermission: value(k.AGENT_INJECT_PERMS),
      errMissingKey: reader.bool(of(k.ERROR_ON_MISSING_KEY), false),
    };
    if (of(k.SECRET_VOLUME_PATH) in annotations) {
      const problem = unsafeMountPath(secret.mountPath);
      if (problem) reader.problem(of(k.SECRET_VOLUME_PATH), secret.mountPath, problem);
    }
    if (secret.filePathAndName !== '') {
      const problem = unsafeRelativePath(secret.filePathAndName);
      if (problem) reader.problem(of(k.AGENT_INJECT_FILE), secret.filePathAndName, problem);
    }
    if (of(k.AGENT_INJECT_PERMS) in annotations && !/^[0-7]{3,4}$/.test(secret.filePermission)) {
      reader.problem(of(k.AGENT_INJECT_PERMS), secret.filePermission, 'is not an octal file mode (e.g. 0440)');
    }
    const destination = secretDestination(secret);
    const earlier = destinations.get(destination);
    if (earlier !== undefined) {
      reader.problem(namingKey, undefined, `renders to ${destination}, as secret ${JSON.stringify(earlier)} does; give one of them another NAME or agent-inject-file`);
    }
    destinations.set(destination, rawName);
    secrets.push(secret);
  }
  return secrets;
}

/** Where the agent writes a secret: `<mountPath>/<file or NAME>`, cleaned like Go's filepath.Join. */
export function secretDestination(secret: Pick<SecretSpec, 'mountPath' | 'name' | 'filePathAndName'>): string {
  if (secret.filePathAndName === '') return `${secret.mountPath}/${secret.name}`;
  return goJoin(secret.mountPath, secret.filePathAndName);
}

function goJoin(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  if (joined === '') return '';
  const absolute = joined.startsWith('/');
  const out: string[] = [];
  for (const segment of joined.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(segment);
  }
  const body = out.join('/');
  return absolute ? `/${body}` : body || '.';
}

function preserveCase(reader: AnnotationReader, rawName: string): boolean {
  const perSecret = `${k.PRESERVE_SECRET_CASE}-${rawName}`;
  const key = perSecret in reader.annotations ? perSecret : k.PRESERVE_SECRET_CASE;
  // vault-k8s reads an invalid value here as false without a word; the file name would then
  // silently differ from what the pod author expects, so it is reported like any bad boolean.
  return reader.bool(key, false);
}
