package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// StatusError is an answer other than 200 or 304.
type StatusError struct {
	URL    string // without secrets
	Status int
	// RetryAfter is when the server asked to be asked again (Retry-After),
	// zero when it did not say.
	RetryAfter time.Time
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s answered %d %s", e.URL, e.Status, http.StatusText(e.Status))
}

// TooLargeError is a body larger than the client's limit. Nothing of it is returned.
type TooLargeError struct {
	URL   string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %d MB", e.URL, max(1, e.Limit>>20))
}

// NetError is a failure on the way: no answer, a broken connection, a
// timeout, a certificate that does not hold.
type NetError struct {
	URL string
	Err error
}

func (e *NetError) Error() string {
	return fmt.Sprintf("%s: %s", e.URL, e.Reason())
}

func (e *NetError) Unwrap() error { return e.Err }

// Timeout reports whether the request ran out of time.
func (e *NetError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.Is(e.Err, context.DeadlineExceeded) || (errors.As(e.Err, &t) && t.Timeout())
}

// Reason says in a few English words what went wrong, without Go's internals.
func (e *NetError) Reason() string {
	var dns *net.DNSError
	var cert *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var expired x509.CertificateInvalidError
	switch {
	case errors.Is(e.Err, context.Canceled):
		return "the request was cancelled"
	case e.Timeout():
		return "no answer in time"
	case errors.As(e.Err, &dns) && dns.IsNotFound:
		return "no such host " + dns.Name
	case errors.As(e.Err, &dns):
		return "the name " + dns.Name + " could not be looked up"
	case errors.As(e.Err, &cert), errors.As(e.Err, &unknown), errors.As(e.Err, &host), errors.As(e.Err, &expired):
		return "its certificate is not valid"
	}
	var op *net.OpError
	if errors.As(e.Err, &op) && op.Op == "dial" {
		return "the server could not be reached"
	}
	return "the connection failed (" + e.Err.Error() + ")"
}

// RedirectError is a chain of redirects too long to follow.
type RedirectError struct {
	URL   string
	Count int
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("%s redirects more than %d times", e.URL, e.Count-1)
}

// SchemeError is an address, or a redirect, to something other than http or https.
type SchemeError struct {
	URL    string
	Scheme string
}

func (e *SchemeError) Error() string {
	return fmt.Sprintf("%s is not a web address (http or https)", e.URL)
}

// AddressError is text that is not an address at all.
type AddressError struct {
	URL string
}

func (e *AddressError) Error() string {
	return fmt.Sprintf("%q is not a web address", e.URL)
}
