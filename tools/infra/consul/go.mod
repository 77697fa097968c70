module opzero.local/tools/infra/consul

go 1.22

require github.com/hashicorp/consul v1.16.3

replace (
	// Consul 1.16.3 (MPL-2.0) keeps these nested modules in its own repo and
	// points at them with local replaces, which do not apply to a dependency.
	// The registries we can reach do not serve usable (open-licence) releases
	// of them, so our own small API-compatible stubs stand in. The features
	// behind them (Envoy extensions, `consul troubleshoot`) are not used here.
	github.com/hashicorp/consul/envoyextensions => ./stubs/envoyextensions
	github.com/hashicorp/consul/troubleshoot => ./stubs/troubleshoot

	// hcp-sdk-go v0.55.0 (Consul's pin) is not served; take an MPL-2.0 release
	// that is. HCP features are unused.
	github.com/hashicorp/hcp-sdk-go => github.com/hashicorp/hcp-sdk-go v0.99.0
)
