// opzero's own code, not part of Consul. build.sh copies this file into its
// build-time copy of github.com/hashicorp/consul@v1.16.3, package
// agent/hcp/client. (The leading "_" keeps Go tooling in this module from
// compiling the folder on its own.)
//
// The hcp-sdk-go release we can fetch (see go.mod) added Logout() to
// config.HCPConfig; Consul 1.16.3's mockHCPCfg, which is compiled into the
// agent, predates it.

package client

func (m *mockHCPCfg) Logout() error { return nil }
