export { runCli, EXIT_CONFIG } from './cli';
export { runAgent, type AgentOutcome, type AgentRunOptions } from './agent-process';
export { loadAgentConfig, type AgentFlags } from './config/load-config';
export { parseAgentConfig, AUTH_METHODS, type AgentConfig, type TemplateConfig, type AuthMethodConfig } from './config/agent-config';
export { ConfigFieldError, parseDuration } from './config/duration';
export { normalizeHcl } from './config/hcl-normalize';
export { writeFileAtomic } from './render/atomic-file';
export { VaultClient, VaultError, type VaultResponse } from './vault/vault-client';
export { AgentLogger } from './log/agent-logger';
