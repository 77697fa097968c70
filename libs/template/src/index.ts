export { Template, parseTemplate, templateFunctions, type RenderContext, type TemplateOptions } from './template';
export { TemplateError } from './core/template-error';
export type { SecretSource } from './secrets/secret-source';
export { SecretCache, SecretNotFoundError, type SecretRequest } from './secrets/secret-cache';
export { defaultTemplate, type DefaultTemplateFormat } from './default-templates';
export { JsonNumber, GoStruct, goBytes, goStringFromBytes, type GoValue } from './core/go-value';
