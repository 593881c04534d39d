package planner

import (
	"net"
	"net/url"
	"strings"
)

// APIBase checks the address of an account's API and returns it without
// trailing slashes: https, or http to this computer only, since a signed
// request shows its token to whoever sees it pass. No user, query or
// fragment. The empty address means the network's own API and stays empty.
// Linking and importing an account both keep to it.
func APIBase(s string) (string, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if s == "" {
		return "", nil
	}
	bad := invalid("api_base", "error.account.api_base", "the API address must be https, or http to this computer only")
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil || u.Opaque != "" {
		return "", bad
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !loopbackHost(u.Hostname()) {
			return "", bad
		}
	default:
		return "", bad
	}
	return s, nil
}

func loopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
