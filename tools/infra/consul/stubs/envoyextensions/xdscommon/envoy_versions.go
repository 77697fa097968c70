package xdscommon

import (
	"fmt"

	envoy_core_v3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	"github.com/hashicorp/go-version"
)

// EnvoyVersions lists the Envoy releases that Consul 1.16 supports, newest
// first.
var EnvoyVersions = []string{
	"1.26.4",
	"1.25.9",
	"1.24.10",
	"1.23.12",
}

// UnsupportedEnvoyVersions lists versions within the supported range that are
// known not to work.
var UnsupportedEnvoyVersions = []string{}

// GetMaxEnvoyMinorVersion returns the newest supported "major.minor".
func GetMaxEnvoyMinorVersion() string { return minor(EnvoyVersions[0]) }

// GetMinEnvoyMinorVersion returns the oldest supported "major.minor".
func GetMinEnvoyMinorVersion() string { return minor(EnvoyVersions[len(EnvoyVersions)-1]) }

func minor(v string) string {
	parsed := version.Must(version.NewVersion(v)).Segments()
	return fmt.Sprintf("%d.%d", parsed[0], parsed[1])
}

// SupportedProxyFeatures describes feature switches derived from the Envoy
// version of a connected proxy. No switches are needed for the supported range.
type SupportedProxyFeatures struct{}

var minSupported = version.Must(version.NewVersion(GetMinEnvoyMinorVersion() + ".0"))

// DetermineSupportedProxyFeatures checks that the connecting Envoy is new
// enough; an unknown version is accepted.
func DetermineSupportedProxyFeatures(node *envoy_core_v3.Node) (SupportedProxyFeatures, error) {
	v := DetermineEnvoyVersionFromNode(node)
	if v == nil {
		return SupportedProxyFeatures{}, nil
	}
	if v.LessThan(minSupported) {
		return SupportedProxyFeatures{}, fmt.Errorf("Envoy %s is too old and is not supported by Consul", v)
	}
	return SupportedProxyFeatures{}, nil
}

// DetermineEnvoyVersionFromNode reads the Envoy version a proxy reports, or
// returns nil when it cannot be told.
func DetermineEnvoyVersionFromNode(node *envoy_core_v3.Node) *version.Version {
	if node == nil {
		return nil
	}
	if bv := node.GetUserAgentBuildVersion(); bv != nil && bv.Version != nil {
		sv := bv.Version
		return version.Must(version.NewVersion(fmt.Sprintf("%d.%d.%d",
			sv.GetMajorNumber(), sv.GetMinorNumber(), sv.GetPatch())))
	}
	return nil
}
