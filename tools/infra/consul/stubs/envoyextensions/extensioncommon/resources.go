package extensioncommon

import (
	envoy_core_v3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	envoy_listener_v3 "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	envoy_http_v3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	envoy_tls_v3 "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
)

// InsertLocation says where a filter goes relative to others.
type InsertLocation string

const (
	InsertFirst            InsertLocation = "First"
	InsertBeforeFirstMatch InsertLocation = "BeforeFirstMatch"
	InsertAfterFirstMatch  InsertLocation = "AfterFirstMatch"
	InsertBeforeLastMatch  InsertLocation = "BeforeLastMatch"
	InsertAfterLastMatch   InsertLocation = "AfterLastMatch"
	InsertLast             InsertLocation = "Last"
)

// InsertOptions controls filter insertion.
type InsertOptions struct {
	Location   InsertLocation
	FilterName string
}

// MakeFilter builds a network filter with a typed config.
func MakeFilter(name string, cfg proto.Message) (*envoy_listener_v3.Filter, error) {
	any, err := anypb.New(cfg)
	if err != nil {
		return nil, err
	}
	return &envoy_listener_v3.Filter{
		Name:       name,
		ConfigType: &envoy_listener_v3.Filter_TypedConfig{TypedConfig: any},
	}, nil
}

// MakeEnvoyHTTPFilter builds an HTTP filter with a typed config.
func MakeEnvoyHTTPFilter(name string, cfg proto.Message) (*envoy_http_v3.HttpFilter, error) {
	any, err := anypb.New(cfg)
	if err != nil {
		return nil, err
	}
	return &envoy_http_v3.HttpFilter{
		Name:       name,
		ConfigType: &envoy_http_v3.HttpFilter_TypedConfig{TypedConfig: any},
	}, nil
}

// MakeUpstreamTLSTransportSocket wraps an upstream TLS context.
func MakeUpstreamTLSTransportSocket(tlsContext *envoy_tls_v3.UpstreamTlsContext) (*envoy_core_v3.TransportSocket, error) {
	any, err := anypb.New(tlsContext)
	if err != nil {
		return nil, err
	}
	return &envoy_core_v3.TransportSocket{
		Name:       "tls",
		ConfigType: &envoy_core_v3.TransportSocket_TypedConfig{TypedConfig: any},
	}, nil
}

// InsertHTTPFilter is not supported by this stand-in.
func InsertHTTPFilter(filters []*envoy_listener_v3.Filter, _ *envoy_http_v3.HttpFilter, _ InsertOptions) ([]*envoy_listener_v3.Filter, error) {
	return filters, ErrUnsupported
}

// InsertNetworkFilter is not supported by this stand-in.
func InsertNetworkFilter(filters []*envoy_listener_v3.Filter, _ *envoy_listener_v3.Filter, _ InsertOptions) ([]*envoy_listener_v3.Filter, error) {
	return filters, ErrUnsupported
}
