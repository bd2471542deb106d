package mailbot

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	stdlog "log"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"

	"mailbot/config"
)

// selfSigned returns a certificate for 127.0.0.1 and its PEM encoding.
func selfSigned(t *testing.T) (tls.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mail.stadt.example"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	return cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// tlsServers starts an implicit-TLS IMAP server and an implicit-TLS SMTP
// server on loopback and returns their ports.
func tlsServers(t *testing.T, cert tls.Certificate) (imapPort, smtpPort int) {
	t.Helper()
	tc := &tls.Config{Certificates: []tls.Certificate{cert}}
	mem := imapmemserver.New()
	u := imapmemserver.NewUser("3344@stadt.example", "geheim")
	if err := u.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(u)
	isrv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		Logger:       stdlog.New(io.Discard, "", 0),
		InsecureAuth: true, // TLS is below the server, which does not see it
	})
	iln, err := tls.Listen("tcp", "127.0.0.1:0", tc)
	if err != nil {
		t.Fatal(err)
	}
	go isrv.Serve(iln)
	t.Cleanup(func() { isrv.Close() })

	ssrv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return nil, errors.New("no sessions in this test")
	}))
	ssrv.Domain = "localhost"
	ssrv.ErrorLog = stdlog.New(io.Discard, "", 0)
	sln, err := tls.Listen("tcp", "127.0.0.1:0", tc)
	if err != nil {
		t.Fatal(err)
	}
	go ssrv.Serve(sln)
	t.Cleanup(func() { ssrv.Close() })
	return iln.Addr().(*net.TCPAddr).Port, sln.Addr().(*net.TCPAddr).Port
}

// TestTLSVerifiesCertificates connects with security: tls to servers with
// a self-signed certificate: rejected against the system roots, accepted
// with the certificate as ca_file.
func TestTLSVerifiesCertificates(t *testing.T) {
	cert, certPEM := selfSigned(t)
	imapPort, smtpPort := tlsServers(t, cert)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := config.Defaults()
	cfg.IMAP = config.IMAP{Host: "127.0.0.1", Port: imapPort, Security: "tls", Timeout: 5 * time.Second}
	cfg.SMTP = config.SMTP{Host: "127.0.0.1", Port: smtpPort, Security: "tls", Timeout: 5 * time.Second, HeloName: "stadt.example"}
	mb := &config.Mailbox{Name: "support", Address: "3344@stadt.example", Username: "3344@stadt.example", Password: "geheim", Folder: "INBOX"}
	cfg.Mailboxes = []config.Mailbox{*mb}

	_, err := dialIMAP(cfg.IMAP, mb, log)
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("IMAP with an unknown certificate: err %v, want a certificate error", err)
	}
	if err := checkSMTP(context.Background(), &cfg); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("SMTP with an unknown certificate: err %v, want a certificate error", err)
	}

	cfg.IMAP.CAFile, cfg.SMTP.CAFile = caFile, caFile
	ic, err := dialIMAP(cfg.IMAP, mb, log)
	if err != nil {
		t.Fatalf("IMAP with ca_file: %v", err)
	}
	ic.close()
	// The SMTP sink refuses sessions, so the handshake passing is what
	// counts: the error, if any, is no certificate error.
	if err := checkSMTP(context.Background(), &cfg); err != nil && strings.Contains(err.Error(), "certificate") {
		t.Errorf("SMTP with ca_file: %v", err)
	}
}

func TestTLSConfigRejectsBadCAFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.pem")
	if err := os.WriteFile(bad, []byte("kein PEM"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := TLSConfig("h", bad, false); err == nil {
		t.Error("file without PEM accepted")
	}
	if _, err := TLSConfig("h", filepath.Join(dir, "fehlt.pem"), false); err == nil {
		t.Error("missing file accepted")
	}
	c, err := TLSConfig("imap.stadt.example", "", false)
	if err != nil || c.InsecureSkipVerify || c.ServerName != "imap.stadt.example" || c.MinVersion != tls.VersionTLS12 {
		t.Errorf("default TLS config %+v, %v", c, err)
	}
}
