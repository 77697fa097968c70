package extensioncommon

import (
	envoy_cluster_v3 "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	envoy_endpoint_v3 "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	envoy_listener_v3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	envoy_route_v3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	"github.com/hashicorp/consul/api"
	"google.golang.org/protobuf/proto"

	"github.com/hashicorp/consul/envoyextensions/xdscommon"
)

// EnvoyExtender applies an extension to a proxy's xDS resources.
type EnvoyExtender interface {
	CanApply(*RuntimeConfig) bool
	Validate(*RuntimeConfig) error
	Extend(*xdscommon.IndexedResources, *RuntimeConfig) (*xdscommon.IndexedResources, error)
}

// Payload carries one resource to an extension's patch method.
type Payload[K proto.Message] struct {
	TrafficDirection TrafficDirection
	ServiceName      *api.CompoundServiceName
	Message          K
	RuntimeConfig    *RuntimeConfig
}

// IsInbound reports whether the resource handles inbound traffic.
func (p Payload[K]) IsInbound() bool { return p.TrafficDirection == TrafficDirectionInbound }

type (
	ClusterPayload               = Payload[*envoy_cluster_v3.Cluster]
	ClusterLoadAssignmentPayload = Payload[*envoy_endpoint_v3.ClusterLoadAssignment]
	ListenerPayload              = Payload[*envoy_listener_v3.Listener]
	RoutePayload                 = Payload[*envoy_route_v3.RouteConfiguration]
	FilterPayload                = Payload[*envoy_listener_v3.Filter]
)

// ClusterMap maps cluster names to clusters.
type ClusterMap map[string]*envoy_cluster_v3.Cluster

// BasicExtension is implemented by Consul's built-in extensions.
type BasicExtension interface {
	CanApply(*RuntimeConfig) bool
	PatchRoute(RoutePayload) (*envoy_route_v3.RouteConfiguration, bool, error)
	PatchCluster(ClusterPayload) (*envoy_cluster_v3.Cluster, bool, error)
	PatchClusters(*RuntimeConfig, ClusterMap) (ClusterMap, error)
	PatchClusterLoadAssignment(ClusterLoadAssignmentPayload) (*envoy_endpoint_v3.ClusterLoadAssignment, bool, error)
	PatchListener(ListenerPayload) (*envoy_listener_v3.Listener, bool, error)
	PatchFilter(FilterPayload) (*envoy_listener_v3.Filter, bool, error)
	PatchFilters(*RuntimeConfig, []*envoy_listener_v3.Filter, bool) ([]*envoy_listener_v3.Filter, error)
}

// BasicExtensionAdapter gives pass-through defaults for BasicExtension.
type BasicExtensionAdapter struct{}

func (BasicExtensionAdapter) CanApply(*RuntimeConfig) bool { return false }

func (BasicExtensionAdapter) PatchRoute(p RoutePayload) (*envoy_route_v3.RouteConfiguration, bool, error) {
	return p.Message, false, nil
}

func (BasicExtensionAdapter) PatchCluster(p ClusterPayload) (*envoy_cluster_v3.Cluster, bool, error) {
	return p.Message, false, nil
}

func (BasicExtensionAdapter) PatchClusters(_ *RuntimeConfig, c ClusterMap) (ClusterMap, error) {
	return c, nil
}

func (BasicExtensionAdapter) PatchClusterLoadAssignment(p ClusterLoadAssignmentPayload) (*envoy_endpoint_v3.ClusterLoadAssignment, bool, error) {
	return p.Message, false, nil
}

func (BasicExtensionAdapter) PatchListener(p ListenerPayload) (*envoy_listener_v3.Listener, bool, error) {
	return p.Message, false, nil
}

func (BasicExtensionAdapter) PatchFilter(p FilterPayload) (*envoy_listener_v3.Filter, bool, error) {
	return p.Message, false, nil
}

func (BasicExtensionAdapter) PatchFilters(_ *RuntimeConfig, f []*envoy_listener_v3.Filter, _ bool) ([]*envoy_listener_v3.Filter, error) {
	return f, nil
}

// BasicEnvoyExtender wraps a BasicExtension applied to the local proxy.
type BasicEnvoyExtender struct {
	Extension BasicExtension
}

func (b *BasicEnvoyExtender) CanApply(c *RuntimeConfig) bool {
	return b.Extension != nil && b.Extension.CanApply(c)
}

// Validate always fails: this build cannot apply extensions.
func (b *BasicEnvoyExtender) Validate(*RuntimeConfig) error { return ErrUnsupported }

// Extend leaves the resources unchanged and reports ErrUnsupported.
func (b *BasicEnvoyExtender) Extend(r *xdscommon.IndexedResources, _ *RuntimeConfig) (*xdscommon.IndexedResources, error) {
	return r, ErrUnsupported
}

// UpstreamEnvoyExtender wraps a BasicExtension sourced from an upstream.
type UpstreamEnvoyExtender struct {
	Extension BasicExtension
}

func (u *UpstreamEnvoyExtender) CanApply(c *RuntimeConfig) bool {
	return u.Extension != nil && u.Extension.CanApply(c)
}

// Validate always fails: this build cannot apply extensions.
func (u *UpstreamEnvoyExtender) Validate(*RuntimeConfig) error { return ErrUnsupported }

// Extend leaves the resources unchanged and reports ErrUnsupported.
func (u *UpstreamEnvoyExtender) Extend(r *xdscommon.IndexedResources, _ *RuntimeConfig) (*xdscommon.IndexedResources, error) {
	return r, ErrUnsupported
}
