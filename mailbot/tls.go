package mailbot

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

// TLSConfig returns the client TLS settings for a mail server: certificates
// verified against the system roots, or against the PEM file caFile when
// it is set, and TLS 1.2 at least. skipVerify turns verification off and
// is meant for test servers only.
func TLSConfig(host, caFile string, skipVerify bool) (*tls.Config, error) {
	c := &tls.Config{ServerName: host, InsecureSkipVerify: skipVerify, MinVersion: tls.VersionTLS12}
	if caFile == "" {
		return c, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("read CA file %s: %w", caFile, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("CA file %s contains no PEM certificate", caFile)
	}
	c.RootCAs = pool
	return c, nil
}
