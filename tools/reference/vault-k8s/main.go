// Command vault-k8s-reference serves HashiCorp's vault-k8s v1.7.6 admission handler
// (github.com/hashicorp/vault-k8s/agent-inject, MPL-2.0) on 127.0.0.1 over HTTPS, configured
// with the defaults of the vault-k8s injector command. opzero's compatibility test and
// benchmark send the same AdmissionReviews to it and to apps/injector.
//
// It imports the handler unchanged; no Kubernetes client is needed because Mutate only reads
// the request. The certificate and key are PEM files given on the command line.
package main

import (
	"crypto/tls"
	"flag"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"

	"github.com/hashicorp/go-hclog"
	agentInject "github.com/hashicorp/vault-k8s/agent-inject"
	"github.com/hashicorp/vault-k8s/agent-inject/agent"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8444", "address to listen on (HTTPS)")
	certFile := flag.String("tls-cert-file", "", "PEM certificate")
	keyFile := flag.String("tls-key-file", "", "PEM private key")
	image := flag.String("vault-image", agent.DefaultVaultImage, "agent image")
	vaultAddr := flag.String("vault-address", "https://vault.vault.svc:8200", "Vault address written into the agent config")
	quiet := flag.Bool("quiet", true, "log only errors (the handler logs every request at info)")
	flag.Parse()
	if *certFile == "" || *keyFile == "" {
		log.Fatal("-tls-cert-file and -tls-key-file are required")
	}

	level := hclog.Info
	var out io.Writer = os.Stderr
	if *quiet {
		level = hclog.Error
	}
	logger := hclog.New(&hclog.LoggerOptions{Name: "vault-k8s-reference", Level: level, Output: out})

	// The same values subcommand/injector/flags.go gives the handler when no flag is set.
	handler := agentInject.Handler{
		VaultAddress:          *vaultAddr,
		VaultAuthType:         agent.DefaultVaultAuthType,
		VaultAuthPath:         agent.DefaultVaultAuthPath,
		ImageVault:            *image,
		RequireAnnotation:     true,
		Log:                   logger,
		RevokeOnShutdown:      false,
		UserID:                strconv.Itoa(agent.DefaultAgentRunAsUser),
		GroupID:               strconv.Itoa(agent.DefaultAgentRunAsGroup),
		SameID:                agent.DefaultAgentRunAsSameUser,
		SetSecurityContext:    agent.DefaultAgentSetSecurityContext,
		DefaultTemplate:       agent.DefaultTemplateType,
		ResourceRequestCPU:    agent.DefaultResourceRequestCPU,
		ResourceRequestMem:    agent.DefaultResourceRequestMem,
		ResourceLimitCPU:      agent.DefaultResourceLimitCPU,
		ResourceLimitMem:      agent.DefaultResourceLimitMem,
		ExitOnRetryFailure:    agent.DefaultTemplateConfigExitOnRetryFailure,
		MaxConnectionsPerHost: 0,
		LeaseRenewalThreshold: 0,
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/mutate", handler.Handle)
	mux.HandleFunc("/health/ready", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })

	server := &http.Server{
		Addr:      *listen,
		Handler:   mux,
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12},
		ErrorLog:  log.New(io.Discard, "", 0),
	}
	log.Printf("vault-k8s v1.7.6 reference injector listening on https://%s/mutate", *listen)
	if err := server.ListenAndServeTLS(*certFile, *keyFile); err != nil {
		log.Fatal(err)
	}
}
