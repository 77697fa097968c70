// Package extensioncommon is opzero's minimal stand-in for Consul's
// extensioncommon package. It declares the extension interfaces, payload types
// and helpers that Consul 1.16.3's built-in Envoy extensions compile against.
// The extenders here do not patch xDS resources: validating an extension
// fails with ErrUnsupported, so Consul skips (or, if required, refuses) it.
package extensioncommon

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/consul/api"
)

// ErrUnsupported is returned when an Envoy extension would be applied.
var ErrUnsupported = errors.New("Envoy extensions are not supported by this Consul build (opzero stand-in for envoyextensions)")

// UpstreamData describes an upstream of the service an extension targets.
type UpstreamData struct {
	PrimarySNI        string
	SNIs              map[string]struct{}
	VIP               string
	EnvoyID           string
	OutgoingProxyKind api.ServiceKind
}

// RuntimeConfig is the context an extension is applied in.
type RuntimeConfig struct {
	EnvoyExtension        api.EnvoyExtension
	ServiceName           api.CompoundServiceName
	Upstreams             map[api.CompoundServiceName]*UpstreamData
	IsSourcedFromUpstream bool
	Kind                  api.ServiceKind
	Protocol              string
}

// UpstreamOutgoingProxyKind returns the kind of proxy of the upstream that an
// upstream-sourced extension came from, or the local kind otherwise.
func (c RuntimeConfig) UpstreamOutgoingProxyKind() api.ServiceKind {
	if c.IsSourcedFromUpstream {
		if u, ok := c.Upstreams[c.ServiceName]; ok && u != nil {
			return u.OutgoingProxyKind
		}
	}
	return c.Kind
}

// StringSet is a set of strings used to validate extension arguments.
type StringSet map[string]struct{}

// CheckRequired fails if v is empty or not in the set.
func (s StringSet) CheckRequired(v, fieldName string) error {
	if _, ok := s[v]; !ok {
		keys := make([]string, 0, len(s))
		for k := range s {
			keys = append(keys, fmt.Sprintf("%q", k))
		}
		sort.Strings(keys)
		return fmt.Errorf("invalid %s %q; supported values: %s", fieldName, v, strings.Join(keys, ", "))
	}
	return nil
}

// TrafficDirection is the direction of traffic a resource handles.
type TrafficDirection string

const (
	TrafficDirectionInbound  TrafficDirection = "inbound"
	TrafficDirectionOutbound TrafficDirection = "outbound"
)

// TrafficDirections holds the valid traffic directions.
var TrafficDirections = StringSet{
	string(TrafficDirectionInbound):  {},
	string(TrafficDirectionOutbound): {},
}

// NormalizeServiceName fills in default partition and namespace.
func NormalizeServiceName(sn *api.CompoundServiceName) {
	if sn.Namespace == "" {
		sn.Namespace = "default"
	}
	if sn.Partition == "" {
		sn.Partition = "default"
	}
}
