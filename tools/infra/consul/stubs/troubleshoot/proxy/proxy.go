// Package troubleshoot is opzero's stand-in for Consul's troubleshoot/proxy
// package. It only offers the API that Consul 1.16's CLI compiles against; the
// `consul troubleshoot` commands report that they are unavailable in this build.
package troubleshoot

import (
	"errors"
	"net"
)

var errUnavailable = errors.New("consul troubleshoot is not available in this build (opzero stub)")

// Message is one result line of a troubleshoot run.
type Message struct {
	Success         bool
	Message         string
	PossibleActions []string
}

// Messages is the list of results of a troubleshoot run.
type Messages []Message

// Success reports whether every message succeeded.
func (m Messages) Success() bool {
	for _, msg := range m {
		if !msg.Success {
			return false
		}
	}
	return true
}

// UpstreamIP describes a transparent-proxy upstream.
type UpstreamIP struct {
	IPs          []string
	IsVirtual    bool
	ClusterNames map[string]struct{}
}

// Troubleshoot would talk to an Envoy admin endpoint.
type Troubleshoot struct{}

// NewTroubleshoot always fails in this build.
func NewTroubleshoot(envoyIP *net.IPAddr, envoyPort string) (*Troubleshoot, error) {
	return nil, errUnavailable
}

// RunAllTests always fails in this build.
func (t *Troubleshoot) RunAllTests(upstreamEnvoyID, upstreamIP string) (Messages, error) {
	return nil, errUnavailable
}

// GetUpstreams always fails in this build.
func (t *Troubleshoot) GetUpstreams() ([]string, []UpstreamIP, error) {
	return nil, nil, errUnavailable
}
