// Package envoyextensions is opzero's own stand-in for the nested
// github.com/hashicorp/consul/envoyextensions module that Consul 1.16.3
// compiles against. It provides the types and helpers that Consul's agent and
// CLI reference so that the agent builds; applying Envoy extensions is not
// supported by this stand-in (extensions are rejected when validated).
package envoyextensions
