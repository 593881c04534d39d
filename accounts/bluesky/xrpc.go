package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// xrpcError is the AT Protocol's error body.
type xrpcError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// Error names a PDS sends, as remote.Error.Code holds them.
const (
	CodeExpiredToken   = "ExpiredToken"
	CodeInvalidToken   = "InvalidToken"
	CodeAuthRequired   = "AuthenticationRequired"
	CodeAuthMissing    = "AuthMissing"
	CodeRecordNotFound = "RecordNotFound"
	CodeAccountTaken   = "AccountTakedown"
	CodeInvalidRequest = "InvalidRequest"
)

// xrpc sends requests to one service.
type xrpc struct {
	call remote.Caller
	now  func() time.Time
}

// query sends a GET to /xrpc/NSID and decodes the answer into v.
func (x *xrpc) query(ctx context.Context, base, nsid, token string, q url.Values, op string, v any) error {
	u := base + "/xrpc/" + nsid
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return &remote.Error{Network: planner.NetworkBluesky, Op: op, Err: err}
	}
	return x.send(req, op, token, false, v)
}

// procedure sends a POST of JSON (or of raw bytes with their type, when
// body is an io.Reader) and decodes the answer into v. effect says whether
// the call changes something, which a failure then may have done.
func (x *xrpc) procedure(ctx context.Context, base, nsid, token string, body any, contentType string, op string, effect bool, v any) error {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case io.Reader:
		rd = b
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			return &remote.Error{Network: planner.NetworkBluesky, Op: op, Err: err}
		}
		rd, contentType = bytes.NewReader(buf), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/xrpc/"+nsid, rd)
	if err != nil {
		return &remote.Error{Network: planner.NetworkBluesky, Op: op, Err: err}
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return x.send(req, op, token, effect, v)
}

func (x *xrpc) send(req *http.Request, op, token string, effect bool, v any) error {
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return x.call.DoJSON(req, op, effect, v, x.apiError)
}

// apiError reads {"error": "Name", "message": "…"}. A PDS answers a bad or
// expired token with 400 (InvalidToken, ExpiredToken), not 401: both mean
// the session is no good.
func (x *xrpc) apiError(op string, resp *remote.Response, effect bool) *remote.Error {
	var b xrpcError
	_ = json.Unmarshal(resp.Body, &b)
	var reset time.Time
	if resp.Status == http.StatusTooManyRequests {
		reset = remote.RateReset(resp.Header, x.now())
	}
	e := remote.StatusError(planner.NetworkBluesky, op, resp.Status, b.Error, b.Message, reset, effect)
	switch b.Error {
	case CodeExpiredToken, CodeInvalidToken, CodeAuthRequired, CodeAuthMissing, CodeAccountTaken, "AccountDeactivated":
		e.Kind = remote.KindAuth
	}
	return e
}
