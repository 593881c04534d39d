package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// DefaultService is where Bluesky accounts sign in unless told otherwise.
// It is an entryway: the account's repository lives on the PDS its DID
// document names.
const DefaultService = "https://bsky.social"

// DefaultPLCDirectory resolves did:plc identifiers.
const DefaultPLCDirectory = "https://plc.directory"

// didDocument is the part of a DID document Kaiku reads.
type didDocument struct {
	ID          string   `json:"id"`
	AlsoKnownAs []string `json:"alsoKnownAs"`
	Service     []struct {
		ID       string `json:"id"`
		Type     string `json:"type"`
		Endpoint any    `json:"serviceEndpoint"`
	} `json:"service"`
}

// pds is the document's #atproto_pds endpoint.
func (d didDocument) pds() (string, bool) {
	for _, s := range d.Service {
		if (s.ID == "#atproto_pds" || s.ID == d.ID+"#atproto_pds") && s.Type == "AtprotoPersonalDataServer" {
			if ep, ok := s.Endpoint.(string); ok {
				if base, err := remote.CheckBase(ep); err == nil {
					return base, true
				}
			}
		}
	}
	return "", false
}

// errNoPDS is a DID document that names no usable PDS.
var errNoPDS = errors.New("the DID document names no PDS")

// resolvePDS finds the PDS of a DID: did:plc through the PLC directory,
// did:web through the host's /.well-known/did.json.
func (x *xrpc) resolvePDS(ctx context.Context, plcDirectory, did string) (string, error) {
	const op = "find the account's server"
	var docURL string
	switch {
	case strings.HasPrefix(did, "did:plc:"):
		docURL = strings.TrimRight(plcDirectory, "/") + "/" + url.PathEscape(did)
	case strings.HasPrefix(did, "did:web:"):
		// The AT Protocol knows only host-level did:web (no path); a port
		// is written %3A.
		rest := strings.TrimPrefix(did, "did:web:")
		host, err := url.PathUnescape(rest)
		if err != nil || host == "" || strings.Contains(rest, ":") || strings.ContainsAny(host, "/?#@") {
			return "", &remote.Error{Network: planner.NetworkBluesky, Op: op, Kind: remote.KindRejected, Detail: "not a did:web Kaiku can resolve"}
		}
		scheme := "https://"
		if h, _, _ := strings.Cut(host, ":"); remote.IsLoopbackHost(h) {
			scheme = "http://"
		}
		docURL = scheme + host + "/.well-known/did.json"
	default:
		return "", &remote.Error{Network: planner.NetworkBluesky, Op: op, Kind: remote.KindRejected, Detail: "an unknown kind of DID"}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, docURL, nil)
	if err != nil {
		return "", &remote.Error{Network: planner.NetworkBluesky, Op: op, Err: err}
	}
	req.Header.Set("Accept", "application/did+ld+json, application/json")
	resp, err := x.call.Do(req, op, false)
	if err != nil {
		return "", err
	}
	if !resp.OK() {
		return "", remote.StatusError(planner.NetworkBluesky, op, resp.Status, "", "", remote.RateReset(resp.Header, x.now()), false)
	}
	var doc didDocument
	if json.Unmarshal(resp.Body, &doc) != nil || doc.ID != did {
		return "", remote.Unexpected(planner.NetworkBluesky, op, resp.Status, "the DID document is not the account's", false)
	}
	base, ok := doc.pds()
	if !ok {
		return "", &remote.Error{Network: planner.NetworkBluesky, Op: op, Kind: remote.KindOther, Err: errNoPDS}
	}
	return base, nil
}
