// Package xdscommon is opzero's minimal stand-in for Consul's xdscommon
// package: xDS type URLs, well-known resource names, a resource index and the
// Envoy version table used by the agent and the `consul connect envoy` command.
package xdscommon

import (
	envoy_cluster_v3 "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	envoy_endpoint_v3 "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	envoy_listener_v3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	envoy_route_v3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	envoy_tls_v3 "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"
	"github.com/hashicorp/go-hclog"
	"google.golang.org/protobuf/proto"
)

const (
	typePrefix = "type.googleapis.com/envoy.config."

	// ListenerType is the xDS type URL of listeners.
	ListenerType = typePrefix + "listener.v3.Listener"
	// RouteType is the xDS type URL of route configurations.
	RouteType = typePrefix + "route.v3.RouteConfiguration"
	// ClusterType is the xDS type URL of clusters.
	ClusterType = typePrefix + "cluster.v3.Cluster"
	// EndpointType is the xDS type URL of cluster load assignments.
	EndpointType = typePrefix + "endpoint.v3.ClusterLoadAssignment"
	// SecretType is the xDS type URL of TLS secrets.
	SecretType = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret"

	// PublicListenerName is the name of a sidecar's inbound listener.
	PublicListenerName = "public_listener"
	// OutboundListenerName is the name of a transparent proxy's outbound listener.
	OutboundListenerName = "outbound_listener"
	// LocalAppClusterName is the name of the cluster pointing at the local app.
	LocalAppClusterName = "local_app"
	// FailoverClusterNamePrefix prefixes the names of failover clusters.
	FailoverClusterNamePrefix = "failover-target~"
)

var allTypes = []string{ListenerType, RouteType, ClusterType, EndpointType, SecretType}

// IndexedResources holds xDS resources by type URL and name.
type IndexedResources struct {
	// Index maps type URL -> resource name -> resource.
	Index map[string]map[string]proto.Message
	// ChildIndex maps type URL -> parent resource name -> child resource names.
	ChildIndex map[string]map[string][]string
}

// EmptyIndexedResources returns an index with an empty map for every type.
func EmptyIndexedResources() *IndexedResources {
	r := &IndexedResources{
		Index:      make(map[string]map[string]proto.Message, len(allTypes)),
		ChildIndex: make(map[string]map[string][]string, 2),
	}
	for _, t := range allTypes {
		r.Index[t] = make(map[string]proto.Message)
	}
	r.ChildIndex[ListenerType] = make(map[string][]string)
	r.ChildIndex[ClusterType] = make(map[string][]string)
	return r
}

// IndexResources indexes resources grouped by type URL.
func IndexResources(logger hclog.Logger, resources map[string][]proto.Message) *IndexedResources {
	data := EmptyIndexedResources()
	for typeURL, typeRes := range resources {
		if _, ok := data.Index[typeURL]; !ok {
			data.Index[typeURL] = make(map[string]proto.Message)
		}
		for _, res := range typeRes {
			name := GetResourceName(res)
			if name == "" {
				if logger != nil {
					logger.Warn("skipping xDS resource without a name", "typeUrl", typeURL)
				}
				continue
			}
			data.Index[typeURL][name] = res
		}
	}
	return data
}

// Clone returns a deep copy of the index.
func Clone(in *IndexedResources) *IndexedResources {
	if in == nil {
		return nil
	}
	out := &IndexedResources{
		Index:      make(map[string]map[string]proto.Message, len(in.Index)),
		ChildIndex: make(map[string]map[string][]string, len(in.ChildIndex)),
	}
	for typeURL, byName := range in.Index {
		m := make(map[string]proto.Message, len(byName))
		for name, res := range byName {
			m[name] = proto.Clone(res)
		}
		out.Index[typeURL] = m
	}
	for typeURL, byName := range in.ChildIndex {
		m := make(map[string][]string, len(byName))
		for name, children := range byName {
			m[name] = append([]string(nil), children...)
		}
		out.ChildIndex[typeURL] = m
	}
	return out
}

// GetResourceName returns the name of a known xDS resource, or "".
func GetResourceName(res proto.Message) string {
	switch x := res.(type) {
	case *envoy_listener_v3.Listener:
		return x.Name
	case *envoy_route_v3.RouteConfiguration:
		return x.Name
	case *envoy_cluster_v3.Cluster:
		return x.Name
	case *envoy_endpoint_v3.ClusterLoadAssignment:
		return x.ClusterName
	case *envoy_tls_v3.Secret:
		return x.Name
	default:
		return ""
	}
}
